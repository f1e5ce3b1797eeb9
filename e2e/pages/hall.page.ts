import type { Locator, Response } from 'playwright-core';
import { BasePage } from './base.page.js';

/** The hall's home feed. */
export class HallHomePage extends BasePage {
  open(): Promise<Response | null> {
    return this.goto('/hall');
  }
}

/** The posting form, with its "similar questions" panel. */
export class HallNewPostPage extends BasePage {
  readonly form = this.page.locator('main form[enctype="multipart/form-data"]');
  readonly similar = this.page.locator('#similar-results');

  open(): Promise<Response | null> {
    return this.goto('/hall/new');
  }

  async fill(values: { kind?: string; title?: string; body?: string }): Promise<void> {
    if (values.kind) await this.form.locator(`#kind-${values.kind}`).check();
    if (values.title !== undefined) await this.form.locator('#title').fill(values.title);
    if (values.body !== undefined) await this.form.locator('#body').fill(values.body);
  }

  /** Types into the message like a person, so the suggestions script sees input events. */
  async type(body: string): Promise<void> {
    await this.form.locator('#body').pressSequentially(body, { delay: 20 });
  }

  async post(): Promise<Response | null> {
    const [response] = await Promise.all([this.page.waitForNavigation(), this.form.locator('button[type="submit"]').last().click()]);
    return response;
  }

  async checkSimilar(): Promise<Response | null> {
    const [response] = await Promise.all([this.page.waitForNavigation(), this.form.locator('button[name="action"][value="check"]').click()]);
    return response;
  }
}

/** A post's public thread, with the author's forms. */
export class HallThreadPage extends BasePage {
  readonly entries = this.page.locator('ol.cases-timeline > li');
  readonly rateForm = this.page.locator('form[action$="/rate"]');

  get number(): string {
    return this.pathname.split('/').pop() ?? '';
  }

  /** The department the post is with, from its account link. */
  async departmentCode(): Promise<string | null> {
    const href = await this.page.locator('[data-live-region] dd a[href^="/hall/accounts/"]').first().getAttribute('href');
    return href ? href.split('/').pop()! : null;
  }

  entry(text: string): Locator {
    return this.entries.filter({ hasText: text });
  }

  async rate(value: 'satisfied' | 'unsatisfied'): Promise<Response | null> {
    await this.rateForm.locator(`#rating-${value}`).check();
    return this.submit(this.rateForm);
  }
}

/** The staff console of one post. */
export class HallConsolePage extends BasePage {
  readonly replyForm = this.page.locator('form[action$="/reply"]');

  open(number: string): Promise<Response | null> {
    return this.goto(`/staff/hall/posts/${number}`);
  }

  async reply(kind: 'reply' | 'info_request' | 'result', body: string): Promise<Response | null> {
    await this.replyForm.locator(`#kind-${kind}`).check();
    await this.replyForm.locator('#body').fill(body);
    return this.submit(this.replyForm);
  }
}

/** The staff queue. */
export class HallQueuePage extends BasePage {
  open(): Promise<Response | null> {
    return this.goto('/staff/hall');
  }

  link(number: string): Locator {
    return this.page.locator(`main a[href="/staff/hall/posts/${number}"]`);
  }
}
