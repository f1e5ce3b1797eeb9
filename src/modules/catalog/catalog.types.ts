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
  /** JSON Schema with UI hints; executed by the cases module. */
  formDefinition: Record<string, unknown>;
  /** States, actions, roles and SLA as data; executed by the cases module. */
  workflowDefinition: Record<string, unknown>;
}
