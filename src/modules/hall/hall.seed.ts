import type { AppContext } from '../../platform/context.js';
import * as repo from './hall.repository.js';

/** Demo data: authoritative news from `release`, a notice from the bus group, reply templates. Idempotent. */
export async function seedHall(ctx: AppContext): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    if ((await repo.listAnnouncements(tx, ['release'], 1)).length === 0) {
      await repo.insertAnnouncement(tx, {
        departmentCode: 'release',
        title: '成都上线“问政大厅”：每条留言都有回应',
        body: '市民可以在问政大厅咨询、投诉、建议和反映问题。留言一小时内首次回复，投诉 12 小时内由责任部门答复，建议 3 个工作日内答复。',
        createdAt: now,
      });
      await repo.insertAnnouncement(tx, {
        departmentCode: 'bus-group',
        title: '公交线路调整通知',
        body: '为配合道路施工，部分公交线路临时绕行，请乘客留意站牌信息。',
        createdAt: now,
      });
    }
    for (const code of ['bus-group', 'transport', 'gov-service']) {
      if ((await repo.listTemplates(tx, code)).length) continue;
      await repo.insertTemplate(tx, {
        departmentCode: code,
        title: '致歉并调查',
        body: '您好，感谢您的反映。对给您带来的不便我们深表歉意，已安排专人调查核实，调查结果将在此公布。',
        createdAt: now,
      });
    }
  });
}
