import type { MessageBundle } from '../../platform/i18n/i18n.js';

export const inboxMessages = {
  'zh-CN': {
    'inbox.title': '消息中心',
    'inbox.summary': '您有 {count} 条未读消息。',
    'inbox.allRead': '没有未读消息。',
    'inbox.empty': '您还没有收到任何消息。',
    'inbox.unread': '未读',
    'inbox.receivedAt': '收到时间',
    'inbox.markRead': '标为已读',
    'inbox.markAllRead': '全部标为已读',
    'inbox.marked': '已标为已读。',
    'inbox.back': '返回我的账户',
  },
  en: {
    'inbox.title': 'Inbox',
    'inbox.summary': 'You have {count} unread messages.',
    'inbox.allRead': 'No unread messages.',
    'inbox.empty': 'You have not received any messages yet.',
    'inbox.unread': 'Unread',
    'inbox.receivedAt': 'Received',
    'inbox.markRead': 'Mark as read',
    'inbox.markAllRead': 'Mark all as read',
    'inbox.marked': 'Marked as read.',
    'inbox.back': 'Back to my account',
  },
} satisfies MessageBundle;
