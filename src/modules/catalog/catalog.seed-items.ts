import { buildForm, defaultWorkflow, field, optional, when } from './catalog.definitions.js';
import type { ItemContent, Material, TimeLimit } from './catalog.types.js';

/**
 * Real Chengdu service items as demo data, modelled on the items of the Sichuan government service
 * network (四川政务服务网). The codes are stable: later issues and independent checks use them.
 * Seeding creates an item only when it is missing, so an administrator's edits are never overwritten.
 */
export interface ItemSeed {
  code: string;
  departmentCode: string;
  /** Orders the "popular services" list on the home page. */
  popularity: number;
  content: ItemContent;
}

const wd = (value: number): TimeLimit => ({ value, unit: 'working_days' });
const wh = (value: number): TimeLimit => ({ value, unit: 'working_hours' });

/** A material the government already holds: prefilled through the exchange module, never uploaded. */
const held = (code: string, nameZh: string, nameEn: string, heldBy: string, extra: Partial<Material> = {}): Material => ({
  code,
  nameZh,
  nameEn,
  heldByGovernment: true,
  heldBy,
  required: true,
  ...extra,
});

/** A material the applicant provides (uploads or fills in). */
const upload = (code: string, nameZh: string, nameEn: string, extra: Partial<Material> = {}): Material => ({
  code,
  nameZh,
  nameEn,
  heldByGovernment: false,
  required: true,
  ...extra,
});

const idCard = held('id-card', '居民身份证', 'Resident identity card', 'psb');
const hukouBook = held('hukou-book', '居民户口簿', 'Household register (hukou booklet)', 'psb');
const photoReceipt = upload('photo', '近期免冠彩色证件照片（数码照片回执）', 'Recent colour ID photo (digital photo receipt)', {
  noteZh: 'JPEG 格式，白色背景，不超过 2 MB；也可在出入境窗口免费拍摄。',
  noteEn: 'JPEG, white background, at most 2 MB; you can also have it taken free at an exit-entry window.',
});

const selfName = field.text('applicantName', '申请人姓名', "Applicant's name", { prefill: { source: 'identity.realName', heldBy: 'psb' } }, 50);
const selfId = field.idNumber('applicantIdNumber', '公民身份号码', 'Resident ID number', { prefill: { source: 'identity.idNumber', heldBy: 'psb' } });
const selfPhone = field.phone('contactPhone', '联系电话', 'Contact phone', { prefill: { source: 'identity.phone', heldBy: 'gov-service' } });
const companyUscc = field.uscc('uscc', '统一社会信用代码', 'Unified social credit code', { prefill: { source: 'identity.actingFor.uscc', heldBy: 'amr' } });
const companyName = field.text('companyName', '企业名称', 'Company name', { prefill: { source: 'enterprise.name', heldBy: 'amr' } }, 100);

export const itemSeed: ItemSeed[] = [
  {
    code: 'hk-macao-endorsement',
    departmentCode: 'psb-exit-entry',
    popularity: 100,
    content: {
      nameZh: '往来港澳通行证签注',
      nameEn: 'Hong Kong and Macao travel permit endorsement',
      applicantKinds: ['citizen'],
      descriptionZh:
        '持有效电子往来港澳通行证的内地居民，可在手机上为本人或未成年子女办理个人旅游、探亲、商务等赴港澳签注（再次签注），证件信息和照片由公安机关调取，签注结果可邮寄到家或通过自助签注机打印。',
      descriptionEn:
        'Residents holding a valid electronic Exit-Entry Permit for Travelling to and from Hong Kong and Macao can apply on their phone, for themselves or their child, for a tourism, family-visit or business endorsement. The police already hold the permit and ID data; the endorsement is delivered by courier or printed at a self-service machine.',
      materials: [
        idCard,
        held('hk-macao-permit', '往来港澳通行证（电子）', 'Hong Kong and Macao travel permit (electronic)', 'psb-exit-entry'),
        photoReceipt,
        held('guardian-proof', '监护关系证明（出生医学证明）', 'Proof of guardianship (birth medical certificate)', 'health', {
          required: false,
          noteZh: '为未满 16 周岁子女申请时需要，由卫生健康部门共享。',
          noteEn: 'Needed when applying for a child under 16; shared by the health authority.',
        }),
      ],
      legalLimit: wd(10),
      promisedLimit: wd(5),
      feeFen: 1500,
      feeNoteZh: '个人旅游签注一次有效 15 元/次，二次有效 30 元。',
      feeNoteEn: '¥15 per single-trip tourism endorsement; ¥30 for a two-trip endorsement.',
      deliveryOptions: ['courier', 'window', 'electronic'],
      lifeEvents: ['travel-abroad'],
      keywords: [
        '港澳',
        '香港',
        '澳门',
        '签注',
        '港澳通行证',
        '通行证',
        '旅游签注',
        '探亲',
        '再次签注',
        '出境',
        'hong kong',
        'macao',
        'macau',
        'endorsement',
        'travel permit',
      ],
      formDefinition: buildForm([
        {
          id: 'applicant',
          titleZh: '申请人',
          titleEn: 'Applicant',
          fields: [
            field.choice('applyFor', '为谁办理', 'Who is it for', [
              ['self', '本人', 'Myself'],
              ['child', '未成年子女', 'My child under 16'],
            ]),
            selfName,
            selfId,
            when('applyFor', 'child', field.text('childName', '子女姓名', "Child's name", {}, 50)),
            when('applyFor', 'child', field.idNumber('childIdNumber', '子女公民身份号码', "Child's resident ID number")),
            field.text('permitNumber', '通行证号码', 'Permit number', { prefill: { source: 'exitEntry.permitNumber', heldBy: 'psb-exit-entry' } }, 12),
          ],
        },
        {
          id: 'endorsement',
          titleZh: '签注信息',
          titleEn: 'Endorsement',
          fields: [
            field.choice('destination', '前往地', 'Destination', [
              ['hk', '香港', 'Hong Kong'],
              ['macao', '澳门', 'Macao'],
            ]),
            field.choice('endorsementType', '签注种类', 'Kind of endorsement', [
              ['tourism', '个人旅游（G）', 'Individual tourism (G)'],
              ['family', '探亲（T）', 'Visiting relatives (T)'],
              ['business', '商务（S）', 'Business (S)'],
              ['group', '团队旅游（L）', 'Group tour (L)'],
            ]),
            field.choice('trips', '有效次数', 'Number of trips', [
              ['once', '一次有效', 'Single trip'],
              ['twice', '二次有效', 'Two trips'],
            ]),
            field.file('photo', '证件照片', 'ID photo', 'photo', ['image/jpeg'], 2 * 1024 * 1024),
            selfPhone,
          ],
        },
      ]),
      workflowDefinition: {
        ...defaultWorkflow({ accept: wh(4), review: wh(4), decide: wd(3), complete: wd(1) }),
        autoDecisions: [
          {
            id: 'renewal-tourism',
            descriptionZh: '再次签注个人旅游、证件有效且无不准出境情形的，系统自动受理并批准。',
            descriptionEn: 'A repeat tourism endorsement on a valid permit with no exit restriction is accepted and approved by the system.',
            conditions: [
              { field: 'endorsementType', equals: 'tourism' },
              { field: 'system.permitValid', equals: true },
              { field: 'system.noExitRestriction', equals: true },
            ],
            actions: ['accept', 'start_review', 'approve'],
          },
        ],
      },
    },
  },
  {
    code: 'vat-invoice-stock',
    departmentCode: 'tax-wuhou',
    popularity: 90,
    content: {
      nameZh: '增值税发票申领',
      nameEn: 'VAT invoice stock application',
      applicantKinds: ['enterprise'],
      descriptionZh:
        '已完成发票票种核定的纳税人，由办税人员在线申领增值税专用发票、增值税普通发票，税务机关当日审核，发票通过邮政寄递到企业（网上申领、邮寄配送）。',
      descriptionEn:
        'Taxpayers whose invoice types have been approved can have their tax officer request VAT special and ordinary invoices online; the tax office checks the request the same day and the invoices are posted to the company.',
      materials: [
        held('officer-id', '办税人员身份证件', "Tax officer's identity card", 'psb'),
        held('invoice-book', '发票领用簿（票种核定信息）', 'Invoice book (approved invoice types)', 'tax-wuhou'),
        held('tax-registration', '税务登记信息', 'Tax registration details', 'tax-wuhou'),
      ],
      legalLimit: wd(5),
      promisedLimit: wh(4),
      feeFen: 0,
      feeNoteZh: '发票工本费免收；邮寄费用由税务机关承担。',
      feeNoteEn: 'Invoices are free; the tax office pays the postage.',
      deliveryOptions: ['courier', 'window'],
      lifeEvents: ['taxes', 'starting-business'],
      keywords: ['发票', '增值税', '专票', '普票', '领票', '申领发票', '购票', '税务', '邮寄', 'invoice', 'vat', 'fapiao', 'tax'],
      formDefinition: buildForm([
        {
          id: 'company',
          titleZh: '纳税人',
          titleEn: 'Taxpayer',
          fields: [
            companyUscc,
            companyName,
            field.text('officerName', '办税人员', 'Tax officer', { prefill: { source: 'identity.realName', heldBy: 'psb' } }, 50),
            selfPhone,
          ],
        },
        {
          id: 'invoices',
          titleZh: '申领发票',
          titleEn: 'Invoices',
          fields: [
            field.choice('invoiceType', '发票种类', 'Invoice type', [
              ['vat-special', '增值税专用发票', 'VAT special invoice'],
              ['vat-ordinary', '增值税普通发票', 'VAT ordinary invoice'],
              ['vat-electronic', '增值税电子普通发票', 'VAT electronic ordinary invoice'],
            ]),
            field.number('quantity', '申领数量（份）', 'Quantity (sheets)', 1, 1000),
            field.address('mailingAddress', '邮寄地址', 'Mailing address'),
          ],
        },
      ]),
      workflowDefinition: defaultWorkflow({ accept: wh(1), review: wh(1), decide: wh(2), complete: wh(1) }),
    },
  },
  {
    code: 'business-scope-change',
    departmentCode: 'amr',
    popularity: 70,
    content: {
      nameZh: '营业执照经营范围变更',
      nameEn: 'Change of business scope on the business licence',
      applicantKinds: ['enterprise'],
      descriptionZh: '公司变更经营范围的，向登记机关申请变更登记。全程网上办理，审核通过后即可下载电子营业执照，也可选择邮寄纸质执照。',
      descriptionEn:
        'A company that changes its business scope applies for a change of registration. It is handled online from start to finish; once approved the electronic business licence can be downloaded, or a paper licence posted.',
      materials: [
        upload('change-application', '公司变更登记申请书', 'Application for change of company registration', {
          noteZh: '在线填写，自动生成。',
          noteEn: 'Filled in online and generated for you.',
        }),
        upload('resolution', '股东会决议或股东决定', "Shareholders' resolution or decision"),
        upload('articles-amendment', '修改后的公司章程或章程修正案', 'Amended articles of association or the amendment'),
        held('business-licence', '营业执照', 'Business licence', 'amr'),
        held('legal-rep-id', '法定代表人身份证件', "Legal representative's identity card", 'psb'),
        upload('permit', '涉及许可项目的批准文件', 'Approval for licensed activities', {
          required: false,
          noteZh: '新增经营范围属于前置许可项目时提交。',
          noteEn: 'Only when the new scope needs prior approval.',
        }),
      ],
      legalLimit: wd(3),
      promisedLimit: wh(5),
      feeFen: 0,
      deliveryOptions: ['electronic', 'courier', 'window'],
      lifeEvents: ['starting-business'],
      keywords: [
        '营业执照',
        '执照',
        '经营范围',
        '变更',
        '变更登记',
        '电子营业执照',
        '工商',
        'business licence',
        'business license',
        'business scope',
        'change',
      ],
      formDefinition: buildForm([
        { id: 'company', titleZh: '企业信息', titleEn: 'Company', fields: [companyUscc, companyName, selfPhone] },
        {
          id: 'change',
          titleZh: '变更内容',
          titleEn: 'Change',
          fields: [
            field.textarea('newScope', '变更后的经营范围', 'New business scope', 2000),
            field.choice('needsPermit', '是否涉及许可项目', 'Does it include licensed activities', [
              ['no', '否', 'No'],
              ['yes', '是', 'Yes'],
            ]),
            when('needsPermit', 'yes', field.file('permitFile', '许可批准文件', 'Approval document', 'permit')),
            field.file('resolutionFile', '股东会决议', "Shareholders' resolution", 'resolution'),
            field.file('articlesFile', '章程修正案', 'Amendment of the articles', 'articles-amendment'),
          ],
        },
      ]),
      workflowDefinition: defaultWorkflow({ accept: wh(1), review: wh(1), decide: wh(2), complete: wh(1) }),
    },
  },
  {
    code: 'company-establishment',
    departmentCode: 'amr',
    popularity: 80,
    content: {
      nameZh: '公司设立登记',
      nameEn: 'Company establishment registration',
      applicantKinds: ['citizen', 'enterprise'],
      descriptionZh: '设立有限责任公司或股份有限公司，申请设立登记。名称自主申报、设立登记、公章刻制、发票申领和社保登记可一次提交，颁发电子营业执照。',
      descriptionEn:
        'Register a new limited liability or joint-stock company. Name declaration, registration, company seal, invoices and social insurance can be requested in one go; an electronic business licence is issued.',
      materials: [
        upload('establishment-application', '公司登记（备案）申请书', 'Company registration application', {
          noteZh: '在线填写，自动生成。',
          noteEn: 'Filled in online and generated for you.',
        }),
        upload('articles', '公司章程', 'Articles of association'),
        held('shareholder-id', '自然人股东身份证件', 'Identity cards of individual shareholders', 'psb'),
        held('corporate-shareholder', '法人股东主体资格证明', 'Registration of corporate shareholders', 'amr', { required: false }),
        upload('appointments', '法定代表人、董事、监事和经理的任职文件', 'Appointment of the legal representative, directors, supervisors and manager'),
        upload('premises', '住所使用证明', 'Proof of the right to use the premises', {
          noteZh: '自有房产由不动产登记信息自动核验，租赁的请上传租赁合同。',
          noteEn: 'Owned premises are checked against the property register; upload the lease if rented.',
        }),
      ],
      legalLimit: wd(3),
      promisedLimit: wd(1),
      feeFen: 0,
      feeNoteZh: '登记不收费；首套印章免费刻制。',
      feeNoteEn: 'Registration is free; the first set of company seals is free.',
      deliveryOptions: ['electronic', 'courier', 'window'],
      lifeEvents: ['starting-business'],
      keywords: [
        '开公司',
        '注册公司',
        '公司注册',
        '设立',
        '营业执照',
        '开办企业',
        '创业',
        '工商注册',
        'start a company',
        'register a company',
        'incorporation',
        'business licence',
      ],
      formDefinition: buildForm([
        {
          id: 'company',
          titleZh: '公司基本信息',
          titleEn: 'Company',
          fields: [
            field.text('proposedName', '拟用名称', 'Proposed name', {}, 60),
            field.choice('companyType', '公司类型', 'Company type', [
              ['llc', '有限责任公司', 'Limited liability company'],
              ['jsc', '股份有限公司', 'Joint-stock company'],
            ]),
            field.number('registeredCapital', '注册资本（万元）', 'Registered capital (10,000 yuan)', 1, 10_000_000),
            field.address('premisesAddress', '住所', 'Registered address'),
            field.textarea('businessScope', '经营范围', 'Business scope', 2000),
          ],
        },
        {
          id: 'people',
          titleZh: '人员与材料',
          titleEn: 'People and documents',
          fields: [
            selfName,
            selfId,
            selfPhone,
            field.choice('premisesKind', '住所类型', 'Premises', [
              ['owned', '自有', 'Owned'],
              ['rented', '租赁', 'Rented'],
            ]),
            when('premisesKind', 'rented', field.file('leaseFile', '租赁合同', 'Lease', 'premises')),
            field.file('articlesFile', '公司章程', 'Articles of association', 'articles'),
            field.file('appointmentsFile', '任职文件', 'Appointments', 'appointments'),
          ],
        },
      ]),
      workflowDefinition: defaultWorkflow({ accept: wh(2), review: wh(2), decide: wh(4), complete: wh(2) }),
    },
  },
  {
    code: 'hukou-transfer',
    departmentCode: 'psb',
    popularity: 75,
    content: {
      nameZh: '户口迁移',
      nameEn: 'Household registration (hukou) transfer',
      applicantKinds: ['citizen'],
      descriptionZh:
        '因购房、投靠、就业、升学等原因在成都市内迁移户口或将户口迁入成都。市内迁移由迁入地派出所一站办理，跨省迁移实行“跨省通办”，无需回原籍开具准迁证。',
      descriptionEn:
        'Move your household registration within Chengdu, or into Chengdu, because you bought a home, join family, took a job or are studying. Moves within the city are handled by the police station of the new address; moves between provinces no longer need a trip back to fetch a transfer permit.',
      materials: [
        idCard,
        hukouBook,
        held('property-record', '不动产权证书或商品房买卖合同备案信息', 'Property certificate or registered sale contract', 'housing', {
          required: false,
          noteZh: '因购房迁移时由住建部门共享。',
          noteEn: 'For a move after buying a home; shared by the housing bureau.',
        }),
        upload('marriage-certificate', '结婚证', 'Marriage certificate', { required: false, noteZh: '夫妻投靠时提交。', noteEn: 'When joining a spouse.' }),
        held('labour-contract', '劳动合同及社保缴纳记录', 'Employment contract and social insurance record', 'hrss', {
          required: false,
          noteZh: '因就业迁入时由人社部门共享。',
          noteEn: 'For a move for a job; shared by the human resources bureau.',
        }),
      ],
      legalLimit: wd(20),
      promisedLimit: wd(5),
      feeFen: 0,
      deliveryOptions: ['window', 'courier'],
      lifeEvents: ['moving', 'housing', 'marriage', 'employment'],
      keywords: [
        '户口',
        '户籍',
        '迁户口',
        '落户',
        '迁入',
        '迁出',
        '户口本',
        '投靠',
        '准迁证',
        '跨省通办',
        'hukou',
        'household registration',
        'residence',
        'move',
      ],
      formDefinition: buildForm([
        { id: 'applicant', titleZh: '申请人', titleEn: 'Applicant', fields: [selfName, selfId, selfPhone] },
        {
          id: 'move',
          titleZh: '迁移信息',
          titleEn: 'The move',
          fields: [
            field.choice('reason', '迁移原因', 'Reason', [
              ['purchase', '购房', 'Bought a home'],
              ['spouse', '夫妻投靠', 'Joining a spouse'],
              ['employment', '就业', 'Employment'],
              ['study', '升学', 'Study'],
            ]),
            field.address('newAddress', '迁入地址', 'New address'),
            when('reason', 'spouse', field.file('marriageFile', '结婚证', 'Marriage certificate', 'marriage-certificate')),
            optional(field.textarea('note', '其他说明', 'Anything else', 500)),
          ],
        },
      ]),
      workflowDefinition: defaultWorkflow({ accept: wd(1), review: wd(1), decide: wd(3), complete: wd(1) }),
    },
  },
  {
    code: 'passport-issue',
    departmentCode: 'psb-exit-entry',
    popularity: 85,
    content: {
      nameZh: '普通护照签发',
      nameEn: 'Ordinary passport issuance',
      applicantKinds: ['citizen'],
      descriptionZh: '中国公民因私出国申请普通护照，全国通办，可在线预约并选择邮寄送证。',
      descriptionEn:
        'Chinese citizens travelling abroad for private purposes apply for an ordinary passport anywhere in China, book online and can have it posted.',
      materials: [idCard, photoReceipt, held('old-passport', '原护照（换发时）', 'Previous passport (when renewing)', 'psb-exit-entry', { required: false })],
      legalLimit: wd(15),
      promisedLimit: wd(7),
      feeFen: 12000,
      feeNoteZh: '护照 120 元/本。',
      feeNoteEn: '¥120 per passport.',
      deliveryOptions: ['courier', 'window'],
      lifeEvents: ['travel-abroad'],
      keywords: ['护照', '办护照', '出国', '出境', '换发护照', 'passport', 'travel abroad'],
      formDefinition: buildForm([
        { id: 'applicant', titleZh: '申请人', titleEn: 'Applicant', fields: [selfName, selfId, selfPhone] },
        {
          id: 'passport',
          titleZh: '护照申请',
          titleEn: 'Passport',
          fields: [
            field.choice('kind', '申请类别', 'Kind of application', [
              ['first', '首次申请', 'First passport'],
              ['renewal', '换发', 'Renewal'],
              ['lost', '补发', 'Replacement of a lost passport'],
            ]),
            field.file('photo', '证件照片', 'ID photo', 'photo', ['image/jpeg'], 2 * 1024 * 1024),
          ],
        },
      ]),
      workflowDefinition: defaultWorkflow({ accept: wd(1), review: wd(1), decide: wd(4), complete: wd(1) }),
    },
  },
  {
    code: 'hk-macao-permit',
    departmentCode: 'psb-exit-entry',
    popularity: 60,
    content: {
      nameZh: '往来港澳通行证申领',
      nameEn: 'Hong Kong and Macao travel permit application',
      applicantKinds: ['citizen'],
      descriptionZh: '内地居民首次申领、换发或补发电子往来港澳通行证，可同时申请签注。',
      descriptionEn:
        'Residents apply for a first, renewed or replacement electronic Hong Kong and Macao travel permit, and may ask for an endorsement at the same time.',
      materials: [idCard, photoReceipt],
      legalLimit: wd(15),
      promisedLimit: wd(7),
      feeFen: 6000,
      feeNoteZh: '通行证 60 元/本；同时申请签注的另按签注收费。',
      feeNoteEn: '¥60 per permit; an endorsement applied for at the same time is charged separately.',
      deliveryOptions: ['courier', 'window'],
      lifeEvents: ['travel-abroad'],
      keywords: ['港澳', '香港', '澳门', '通行证', '港澳通行证', '办证', 'hong kong', 'macao', 'macau', 'travel permit'],
      formDefinition: buildForm([
        { id: 'applicant', titleZh: '申请人', titleEn: 'Applicant', fields: [selfName, selfId, selfPhone] },
        {
          id: 'permit',
          titleZh: '证件申请',
          titleEn: 'Permit',
          fields: [
            field.choice('kind', '申请类别', 'Kind of application', [
              ['first', '首次申请', 'First permit'],
              ['renewal', '换发', 'Renewal'],
              ['lost', '补发', 'Replacement'],
            ]),
            field.file('photo', '证件照片', 'ID photo', 'photo', ['image/jpeg'], 2 * 1024 * 1024),
          ],
        },
      ]),
      workflowDefinition: defaultWorkflow({ accept: wd(1), review: wd(1), decide: wd(4), complete: wd(1) }),
    },
  },
  {
    code: 'birth-registration',
    departmentCode: 'psb',
    popularity: 55,
    content: {
      nameZh: '出生登记（新生儿落户）',
      nameEn: 'Birth registration (registering a newborn in the hukou)',
      applicantKinds: ['citizen'],
      descriptionZh: '新生儿出生后，父母一方在线申报出生登记，出生医学证明由卫生健康部门共享，无需上传；办结后户口簿可邮寄到家。',
      descriptionEn:
        'After a baby is born, either parent registers the birth online. The birth medical certificate is shared by the health authority, so there is nothing to upload; the updated hukou booklet can be posted home.',
      materials: [
        held('birth-certificate', '出生医学证明', 'Birth medical certificate', 'health'),
        held('parents-hukou', '父母双方居民户口簿', "Both parents' household registers", 'psb'),
        upload('parents-marriage', '父母结婚证', "Parents' marriage certificate", {
          required: false,
          noteZh: '非婚生育的按规定提供其他材料。',
          noteEn: 'Parents who are not married provide other documents as set out in the rules.',
        }),
      ],
      legalLimit: wd(10),
      promisedLimit: wd(3),
      feeFen: 0,
      deliveryOptions: ['courier', 'window'],
      lifeEvents: ['birth', 'moving'],
      keywords: ['出生', '新生儿', '上户口', '落户', '报户口', '出生登记', '宝宝', 'birth', 'newborn', 'baby', 'hukou'],
      formDefinition: buildForm([
        { id: 'parent', titleZh: '申报人', titleEn: 'Parent', fields: [selfName, selfId, selfPhone] },
        {
          id: 'baby',
          titleZh: '新生儿',
          titleEn: 'Baby',
          fields: [
            field.text('babyName', '新生儿姓名', "Baby's name", {}, 20),
            field.date('birthDate', '出生日期', 'Date of birth'),
            field.text(
              'birthCertificateNo',
              '出生医学证明编号',
              'Birth certificate number',
              { prefill: { source: 'health.birthCertificateNo', heldBy: 'health' } },
              20,
            ),
            field.choice('registerWith', '随父或随母落户', "Register with father's or mother's household", [
              ['father', '随父', "Father's"],
              ['mother', '随母', "Mother's"],
            ]),
          ],
        },
      ]),
      workflowDefinition: defaultWorkflow({ accept: wd(1), review: wd(1), decide: wd(1), complete: wd(1) }),
    },
  },
  {
    code: 'social-security-card',
    departmentCode: 'hrss',
    popularity: 65,
    content: {
      nameZh: '社会保障卡申领',
      nameEn: 'Social security card application',
      applicantKinds: ['citizen'],
      descriptionZh: '参保人员首次申领第三代社会保障卡（含金融功能），可选择邮寄到家；同时开通电子社保卡。',
      descriptionEn:
        'Insured people apply for their first third-generation social security card (with banking functions), posted home if they wish, and get the electronic card at once.',
      materials: [idCard, photoReceipt, held('insurance-record', '参保登记信息', 'Social insurance registration', 'hrss')],
      legalLimit: wd(20),
      promisedLimit: wd(10),
      feeFen: 0,
      feeNoteZh: '首次申领免费；补换卡工本费 20 元。',
      feeNoteEn: 'Free the first time; ¥20 to replace a card.',
      deliveryOptions: ['courier', 'window', 'electronic'],
      lifeEvents: ['employment', 'birth'],
      keywords: ['社保卡', '社保', '社会保障卡', '医保卡', '电子社保卡', 'social security', 'social insurance card'],
      formDefinition: buildForm([
        {
          id: 'applicant',
          titleZh: '申请人',
          titleEn: 'Applicant',
          fields: [
            selfName,
            selfId,
            selfPhone,
            field.choice('bank', '合作银行', 'Partner bank', [
              ['icbc', '工商银行', 'ICBC'],
              ['ccb', '建设银行', 'China Construction Bank'],
              ['boc', '中国银行', 'Bank of China'],
              ['cdrcb', '成都农商银行', 'Chengdu Rural Commercial Bank'],
            ]),
            field.file('photo', '证件照片', 'ID photo', 'photo', ['image/jpeg'], 2 * 1024 * 1024),
          ],
        },
      ]),
      workflowDefinition: defaultWorkflow({ accept: wd(1), review: wd(2), decide: wd(5), complete: wd(2) }),
    },
  },
  {
    code: 'pension-claim',
    departmentCode: 'hrss',
    popularity: 40,
    content: {
      nameZh: '城镇职工基本养老保险待遇申领',
      nameEn: 'Basic pension claim for urban employees',
      applicantKinds: ['citizen'],
      descriptionZh: '达到法定退休年龄、累计缴费满 15 年的参保人员申领按月领取的基本养老金；缴费记录和档案信息由人社部门调取。',
      descriptionEn:
        'Insured people who have reached retirement age and paid contributions for at least 15 years claim their monthly basic pension; contribution records are read by the human resources bureau itself.',
      materials: [
        idCard,
        held('contribution-record', '养老保险缴费记录', 'Pension contribution record', 'hrss'),
        upload('bank-account', '本人社会保障卡或银行账户信息', 'Social security card or bank account for payment'),
      ],
      legalLimit: wd(20),
      promisedLimit: wd(10),
      feeFen: 0,
      deliveryOptions: ['electronic', 'window'],
      lifeEvents: ['retirement'],
      keywords: ['退休', '养老金', '养老保险', '领养老金', '退休手续', 'pension', 'retirement'],
      formDefinition: buildForm([
        {
          id: 'applicant',
          titleZh: '申请人',
          titleEn: 'Applicant',
          fields: [
            selfName,
            selfId,
            selfPhone,
            field.date('retirementDate', '退休日期', 'Retirement date'),
            field.text('bankAccount', '领取账户', 'Account for payment', {}, 30),
          ],
        },
      ]),
      workflowDefinition: defaultWorkflow({ accept: wd(1), review: wd(2), decide: wd(5), complete: wd(2) }),
    },
  },
  {
    code: 'public-rental-housing',
    departmentCode: 'housing',
    popularity: 45,
    content: {
      nameZh: '公共租赁住房申请',
      nameEn: 'Public rental housing application',
      applicantKinds: ['citizen'],
      descriptionZh: '在蓉无自有住房、收入符合条件的家庭或个人申请公共租赁住房保障，户籍、房产、社保和收入信息由相关部门共享核验。',
      descriptionEn:
        'Households or individuals in Chengdu with no home of their own and a qualifying income apply for public rental housing; hukou, property, social insurance and income data are checked with the departments that hold them.',
      materials: [
        idCard,
        hukouBook,
        held('no-property', '无自有住房证明', 'Proof of owning no home', 'housing'),
        held('social-insurance', '社保缴纳记录', 'Social insurance record', 'hrss'),
        upload('income', '家庭收入情况声明', 'Statement of household income'),
      ],
      legalLimit: wd(30),
      promisedLimit: wd(20),
      feeFen: 0,
      deliveryOptions: ['electronic', 'window'],
      lifeEvents: ['housing'],
      keywords: ['公租房', '租房', '住房保障', '保障房', '廉租房', 'public housing', 'rental housing', 'affordable housing'],
      formDefinition: buildForm([
        { id: 'applicant', titleZh: '申请人', titleEn: 'Applicant', fields: [selfName, selfId, selfPhone] },
        {
          id: 'household',
          titleZh: '家庭情况',
          titleEn: 'Household',
          fields: [
            field.number('householdSize', '家庭人口', 'People in the household', 1, 20),
            field.number('monthlyIncome', '家庭月收入（元）', 'Monthly household income (yuan)', 0, 1_000_000),
            field.address('currentAddress', '现居住地址', 'Current address'),
            field.file('incomeFile', '收入情况声明', 'Income statement', 'income'),
          ],
        },
      ]),
      workflowDefinition: defaultWorkflow({ accept: wd(2), review: wd(3), decide: wd(12), complete: wd(3) }),
    },
  },
  {
    code: 'primary-school-enrollment',
    departmentCode: 'education',
    popularity: 50,
    content: {
      nameZh: '义务教育阶段小学新生入学登记',
      nameEn: 'Primary school enrolment for new pupils',
      applicantKinds: ['citizen'],
      descriptionZh: '适龄儿童的监护人在线登记入学信息，户籍和房产信息由公安、住建部门共享核验，按划片范围安排学位。',
      descriptionEn:
        "Parents of children of school age register online; hukou and property data are checked with the police and the housing bureau, and a place is allocated in the school's catchment area.",
      materials: [
        hukouBook,
        held('residence-proof', '房产信息或居住证', 'Property record or residence permit', 'housing'),
        held('child-birth-certificate', '儿童出生医学证明', "Child's birth medical certificate", 'health'),
        upload('vaccination', '预防接种证查验证明', 'Vaccination check certificate'),
      ],
      legalLimit: wd(20),
      promisedLimit: wd(10),
      feeFen: 0,
      deliveryOptions: ['electronic'],
      lifeEvents: ['schooling'],
      keywords: ['入学', '上学', '小学', '学位', '报名', '新生', '义务教育', 'school', 'enrolment', 'enrollment', 'primary school'],
      formDefinition: buildForm([
        { id: 'guardian', titleZh: '监护人', titleEn: 'Parent or guardian', fields: [selfName, selfId, selfPhone] },
        {
          id: 'child',
          titleZh: '儿童信息',
          titleEn: 'Child',
          fields: [
            field.text('childName', '儿童姓名', "Child's name", {}, 20),
            field.idNumber('childIdNumber', '儿童公民身份号码', "Child's resident ID number"),
            field.address('homeAddress', '居住地址', 'Home address'),
            field.file('vaccinationFile', '预防接种证查验证明', 'Vaccination check certificate', 'vaccination'),
          ],
        },
      ]),
      workflowDefinition: defaultWorkflow({ accept: wd(2), review: wd(2), decide: wd(5), complete: wd(1) }),
    },
  },
  {
    code: 'tax-payment-record',
    departmentCode: 'tax',
    popularity: 35,
    content: {
      nameZh: '开具个人所得税纳税记录',
      nameEn: 'Individual income tax payment record',
      applicantKinds: ['citizen'],
      descriptionZh: '纳税人开具本人个人所得税纳税记录，用于购房、落户、签证等，电子记录带校验码，可在线验证真伪。',
      descriptionEn:
        'Taxpayers obtain a record of the individual income tax they paid, for buying a home, settling or visa applications; the electronic record carries a check code anyone can verify online.',
      materials: [idCard, held('tax-record', '个人所得税申报及缴纳记录', 'Individual income tax returns and payments', 'tax')],
      legalLimit: wd(1),
      promisedLimit: wh(1),
      feeFen: 0,
      deliveryOptions: ['electronic', 'window'],
      lifeEvents: ['taxes', 'housing', 'moving'],
      keywords: ['纳税记录', '个税', '个人所得税', '完税证明', '纳税证明', '税务', 'tax record', 'income tax', 'tax certificate'],
      formDefinition: buildForm([
        {
          id: 'request',
          titleZh: '开具信息',
          titleEn: 'Request',
          fields: [
            selfName,
            selfId,
            field.date('from', '起始月份', 'From'),
            field.date('to', '截止月份', 'To'),
            optional(field.text('purpose', '用途', 'Purpose', {}, 50)),
          ],
        },
      ]),
      workflowDefinition: defaultWorkflow({ accept: wh(1), review: wh(1), decide: wh(1), complete: wh(1) }),
    },
  },
  {
    code: 'hi-tech-enterprise',
    departmentCode: 'sci-tech',
    popularity: 30,
    content: {
      nameZh: '高新技术企业认定',
      nameEn: 'High and new technology enterprise recognition',
      applicantKinds: ['enterprise'],
      descriptionZh: '在成都注册一年以上的居民企业申请高新技术企业认定，认定后享受 15% 企业所得税优惠税率。可通过“科创通”平台获得申报辅导。',
      descriptionEn:
        'Resident companies registered in Chengdu for over a year apply to be recognised as high and new technology enterprises and then pay corporate income tax at 15%. Guidance is available through the Kechuangtong platform.',
      materials: [
        held('business-licence', '营业执照', 'Business licence', 'amr'),
        upload('ip-documents', '知识产权证书', 'Intellectual property certificates'),
        upload('rd-audit', '近三个会计年度研发费用专项审计报告', 'Special audit of R&D spending for the last three years'),
        upload('hi-tech-income', '近一个会计年度高新技术产品（服务）收入专项审计报告', 'Special audit of high-tech product income for the last year'),
        held('tax-returns', '近三个会计年度企业所得税年度纳税申报表', 'Corporate income tax returns for the last three years', 'tax'),
      ],
      legalLimit: wd(60),
      promisedLimit: wd(45),
      feeFen: 0,
      deliveryOptions: ['electronic'],
      lifeEvents: ['starting-business', 'taxes'],
      keywords: ['高新技术企业', '高企', '高新认定', '科创通', '科技', '税收优惠', 'high-tech', 'hi-tech', 'technology enterprise', 'kechuangtong'],
      formDefinition: buildForm([
        { id: 'company', titleZh: '企业信息', titleEn: 'Company', fields: [companyUscc, companyName, selfPhone] },
        {
          id: 'evidence',
          titleZh: '认定材料',
          titleEn: 'Evidence',
          fields: [
            field.number('staffCount', '职工总数', 'Employees', 1, 1_000_000),
            field.number('rdStaffCount', '科技人员数', 'R&D staff', 0, 1_000_000),
            field.file('ipFile', '知识产权证书', 'IP certificates', 'ip-documents', ['application/pdf']),
            field.file('rdAuditFile', '研发费用专项审计报告', 'R&D audit', 'rd-audit', ['application/pdf']),
            field.file('incomeAuditFile', '高新收入专项审计报告', 'High-tech income audit', 'hi-tech-income', ['application/pdf']),
          ],
        },
      ]),
      workflowDefinition: defaultWorkflow({ accept: wd(5), review: wd(5), decide: wd(30), complete: wd(5) }),
    },
  },
  {
    code: 'travel-agency-licence',
    departmentCode: 'culture-tourism',
    popularity: 20,
    content: {
      nameZh: '旅行社业务经营许可',
      nameEn: 'Travel agency business licence',
      applicantKinds: ['enterprise'],
      descriptionZh: '取得营业执照的企业申请经营国内旅游业务和入境旅游业务的许可，办结后颁发旅行社业务经营许可证并存入质量保证金。',
      descriptionEn:
        'Companies with a business licence apply for permission to run domestic and inbound tourism; once granted they receive a travel agency licence and lodge a quality deposit.',
      materials: [
        held('business-licence', '营业执照', 'Business licence', 'amr'),
        upload('premises-proof', '经营场所证明', 'Proof of business premises'),
        upload('facilities', '营业设施、设备说明', 'Description of facilities and equipment'),
        upload('manager-cv', '主要负责人履历', "Principal manager's CV"),
      ],
      legalLimit: wd(20),
      promisedLimit: wd(10),
      feeFen: 0,
      feeNoteZh: '不收取许可费用；取得许可后须按规定交纳旅游服务质量保证金。',
      feeNoteEn: 'No licence fee; a tourism service quality deposit is lodged after the licence is granted.',
      deliveryOptions: ['electronic', 'courier', 'window'],
      lifeEvents: ['starting-business'],
      keywords: ['旅行社', '旅游', '经营许可', '许可证', 'travel agency', 'tourism', 'licence'],
      formDefinition: buildForm([
        {
          id: 'company',
          titleZh: '企业信息',
          titleEn: 'Company',
          fields: [companyUscc, companyName, selfPhone, field.address('premisesAddress', '经营场所', 'Business premises')],
        },
        {
          id: 'documents',
          titleZh: '申请材料',
          titleEn: 'Documents',
          fields: [
            field.file('premisesFile', '经营场所证明', 'Premises proof', 'premises-proof'),
            field.file('facilitiesFile', '营业设施说明', 'Facilities', 'facilities'),
            field.file('managerFile', '主要负责人履历', "Manager's CV", 'manager-cv'),
          ],
        },
      ]),
      workflowDefinition: defaultWorkflow({ accept: wd(2), review: wd(2), decide: wd(5), complete: wd(1) }),
    },
  },
  {
    code: 'employment-registration',
    departmentCode: 'hrss',
    popularity: 42,
    content: {
      nameZh: '就业登记',
      nameEn: 'Employment registration',
      applicantKinds: ['citizen', 'enterprise'],
      descriptionZh: '劳动者与用人单位建立劳动关系后办理就业登记，作为享受就业创业扶持政策和社会保险的依据。',
      descriptionEn:
        'After an employment relationship starts, the worker or employer registers it; the record is the basis for employment support and social insurance.',
      materials: [idCard, upload('labour-contract', '劳动合同', 'Employment contract')],
      legalLimit: wd(5),
      promisedLimit: wd(1),
      feeFen: 0,
      deliveryOptions: ['electronic'],
      lifeEvents: ['employment'],
      keywords: ['就业', '就业登记', '就业创业证', '入职', '劳动合同', '工作', 'employment', 'job', 'work'],
      formDefinition: buildForm([
        {
          id: 'job',
          titleZh: '就业信息',
          titleEn: 'The job',
          fields: [
            selfName,
            selfId,
            selfPhone,
            field.text('employerName', '用人单位', 'Employer', {}, 100),
            field.date('startDate', '入职日期', 'Start date'),
            field.file('contractFile', '劳动合同', 'Employment contract', 'labour-contract', ['application/pdf', 'image/jpeg', 'image/png']),
          ],
        },
      ]),
      workflowDefinition: defaultWorkflow({ accept: wh(4), review: wh(4), decide: wh(4), complete: wh(4) }),
    },
  },
];
