import { h } from 'preact';
import type { AppModule } from '../../platform/module.js';
import { sendPage } from '../../platform/views/render.js';
import { Layout } from '../../platform/views/layout.js';

// PLACEHOLDER: departments, service items, catalogue pages.
export const catalogModule: AppModule = {
  name: 'catalog',
  async register(app) {
    app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) =>
      sendPage(request, reply, h(Layout, { title: request.t('site.tagline'), children: h('h1', null, request.t('site.name')) })),
    );
  },
};
