import type { Response } from 'playwright-core';
import { BasePage } from './base.page.js';

/** Page objects of enterprise registration: name declaration, establishment, confirmation, workbench, register. */

export class NameDeclarationPage extends BasePage {
  readonly form = this.page.locator('form[action="/enterprise/names"]');

  open(): Promise<Response | null> {
    return this.goto('/enterprise/names/new');
  }

  async declare(parts: { division: string; tradeName: string; industry: string; orgForm: string }): Promise<Response | null> {
    await this.form.locator('select[name="division"]').selectOption(parts.division);
    await this.form.locator('input[name="tradeName"]').fill(parts.tradeName);
    await this.form.locator('select[name="industry"]').selectOption(parts.industry);
    await this.form.locator('select[name="orgForm"]').selectOption(parts.orgForm);
    return this.submit(this.form);
  }

  /** The link on the reserved-name page that starts the establishment. */
  async startEstablishment(): Promise<Response | null> {
    const [response] = await Promise.all([this.page.waitForNavigation(), this.page.locator('main a[href^="/enterprise/establish?name="]').click()]);
    return response;
  }
}

export interface Person {
  name: string;
  idNumber: string;
}

export class EstablishmentPage extends BasePage {
  readonly form = this.page.locator('form[action="/enterprise/establish"]');

  private async person(prefix: string, p: Person) {
    await this.form.locator(`input[name="${prefix}.name"]`).fill(p.name);
    await this.form.locator(`input[name="${prefix}.idNumber"]`).fill(p.idNumber);
  }

  async fill(v: {
    district: string;
    address: string;
    scope: string[];
    capitalWan: string;
    legalRep: Person;
    shareholders: (Person & { contributionWan: string })[];
    director: Person;
    manager: Person;
    supervisor: Person;
  }): Promise<void> {
    await this.form.locator('select[name="district"]').selectOption(v.district);
    await this.form.locator('input[name="addressDetail"]').fill(v.address);
    for (const s of v.scope) await this.form.locator(`input[name="scopeCodes"][value="${s}"]`).check();
    await this.form.locator('input[name="registeredCapital"]').fill(v.capitalWan);
    await this.person('legalRepresentative', v.legalRep);
    for (const [i, s] of v.shareholders.entries()) {
      await this.person(`shareholders.${i}`, s);
      await this.form.locator(`input[name="shareholders.${i}.contribution"]`).fill(s.contributionWan);
    }
    await this.person('officers.executiveDirector', v.director);
    await this.person('officers.manager', v.manager);
    await this.person('officers.supervisor', v.supervisor);
  }

  send(): Promise<Response | null> {
    return this.submit(this.form);
  }
}

export class RegistrationApplicationPage extends BasePage {
  open(id: string): Promise<Response | null> {
    return this.goto(`/enterprise/applications/${id}`);
  }

  get id(): string {
    return this.pathname.split('/').pop() ?? '';
  }

  status(): Promise<string | null> {
    return this.page.locator('#application-status').getAttribute('data-status');
  }

  uscc(): Promise<string | null> {
    return this.page.locator('#company-uscc').textContent();
  }
}

export class ConfirmationPage extends BasePage {
  readonly form = this.page.locator('main form[method="post"]');

  open(id: string): Promise<Response | null> {
    return this.goto(`/enterprise/confirm/${id}`);
  }

  confirm(): Promise<Response | null> {
    return this.submit(this.form);
  }
}

export class RegistrationWorkbenchPage extends BasePage {
  open(): Promise<Response | null> {
    return this.goto('/staff/enterprise');
  }

  row(id: string) {
    return this.page.locator(`main a[href="/staff/enterprise/applications/${id}"]`);
  }

  async take(id: string, action: 'accept' | 'approve'): Promise<Response | null> {
    await this.goto(`/staff/enterprise/applications/${id}`);
    return this.submit(this.page.locator(`form[action="/staff/enterprise/applications/${id}/${action}"]`));
  }
}

export class PublicRegisterPage extends BasePage {
  readonly form = this.page.locator('main form[role="search"]');

  open(): Promise<Response | null> {
    return this.goto('/enterprises');
  }

  async search(q: string): Promise<Response | null> {
    await this.form.locator('input[name="q"]').fill(q);
    return this.submit(this.form);
  }

  company(uscc: string) {
    return this.page.locator(`main a[href="/enterprises/${uscc}"]`);
  }
}

export class ChangeRegistrationPage extends BasePage {
  readonly form = this.page.locator('main form[method="post"]');

  open(uscc: string): Promise<Response | null> {
    return this.goto(`/enterprise/companies/${uscc}/change`);
  }

  async addScope(code: string): Promise<void> {
    await this.form.locator(`input[name="scopeCodes"][value="${code}"]`).check();
  }

  send(): Promise<Response | null> {
    return this.submit(this.form);
  }
}
