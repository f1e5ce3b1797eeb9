export type ApplicantKind = 'citizen' | 'enterprise';
export type DeliveryOption = 'window' | 'courier' | 'electronic';
export type TimeUnit = 'working_days' | 'working_hours' | 'days' | 'hours';

export interface TimeLimit {
  value: number;
  unit: TimeUnit;
}

export interface Material {
  code: string;
  nameZh: string;
  nameEn: string;
  /** The government already holds it: prefilled through the exchange module, never uploaded. */
  heldByGovernment: boolean;
  /** Which department holds it, when heldByGovernment. */
  heldBy?: string;
  required: boolean;
  noteZh?: string;
  noteEn?: string;
}

/** The content of one version of a service item. */
export interface ItemContent {
  nameZh: string;
  nameEn: string;
  applicantKinds: ApplicantKind[];
  descriptionZh: string;
  descriptionEn: string;
  materials: Material[];
  legalLimit: TimeLimit;
  promisedLimit: TimeLimit;
  /** Fee in fen (1/100 yuan); 0 means free. */
  feeFen: number;
  feeNoteZh?: string;
  feeNoteEn?: string;
  deliveryOptions: DeliveryOption[];
  lifeEvents: string[];
  keywords: string[];
  /** JSON Schema with UI hints; executed by the cases module. Checked by checkFormDefinition on save. */
  formDefinition: FormDefinition;
  /** States, actions, roles and SLA as data; executed by the cases module. Checked by checkWorkflowDefinition on save. */
  workflowDefinition: WorkflowDefinition;
}

/** A field widget of the form renderer (the cases module renders and validates these). */
export type FieldWidget = 'text' | 'textarea' | 'number' | 'idNumber' | 'phone' | 'chengduAddress' | 'date' | 'choice' | 'file' | 'uscc';

/** UI hints for one property of a form definition's JSON Schema. */
export interface FormFieldUi {
  widget: FieldWidget;
  labelZh: string;
  labelEn: string;
  hintZh?: string;
  hintEn?: string;
  /** choice: the options, in order. */
  options?: { value: string; labelZh: string; labelEn: string }[];
  /** file: accepted media types (checked by content) and the largest size. */
  accept?: string[];
  maxBytes?: number;
  /** file: the material of the item this upload provides. */
  material?: string;
  /** Prefilled from what the government holds (exchange module); never asked for again. */
  prefill?: { source: string; heldBy: string };
  /** Shown (and required) only when another field has this value. */
  showIf?: { field: string; equals: string | boolean | number };
}

/** A form: a JSON Schema (draft 2020-12) object with UI hints under `x-ui`. */
export interface FormDefinition {
  $schema?: string;
  type: 'object';
  required?: string[];
  properties: Record<string, Record<string, unknown>>;
  allOf?: Record<string, unknown>[];
  'x-ui': {
    pages: { id: string; titleZh: string; titleEn: string; fields: string[] }[];
    fields: Record<string, FormFieldUi>;
  };
}

/** Who may take a workflow action: staff roles, the applicant, or the system's own rules. */
export type WorkflowActor = 'clerk' | 'reviewer' | 'approver' | 'dept_admin' | 'applicant' | 'system';

export interface WorkflowState {
  labelZh: string;
  labelEn: string;
  /** Time allowed in this state before a warning and an escalation; none for waiting or final states. */
  sla?: TimeLimit;
  /** The SLA clock stops while an application is in this state (e.g. waiting for a correction). */
  pausesClock?: boolean;
  final?: boolean;
}

export interface WorkflowAction {
  name: string;
  labelZh: string;
  labelEn: string;
  from: string[];
  to: string;
  roles: WorkflowActor[];
  needsComment: boolean;
  needsDocuments?: boolean;
}

/** The system may take these actions by itself when every condition holds (audited as the system's decision). */
export interface AutoDecisionRule {
  id: string;
  descriptionZh: string;
  descriptionEn: string;
  conditions: { field: string; equals: string | boolean | number }[];
  actions: string[];
}

/** States, actions, roles and SLA as data; executed by the cases module. */
export interface WorkflowDefinition {
  initial: string;
  states: Record<string, WorkflowState>;
  actions: WorkflowAction[];
  autoDecisions?: AutoDecisionRule[];
}
