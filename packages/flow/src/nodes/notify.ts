import { z } from 'zod';
import { defineNode } from '../node-definition.js';

export const notificationChannel = z.discriminatedUnion('type', [
  z.object({ type: z.literal('log') }),
  z.object({
    type: z.literal('webhook'),
    url: z.url({ protocol: /^https?$/ }).meta({ description: 'POSTed a JSON body; its host must be on the allow-list.' }),
  }),
  z.object({
    type: z.literal('email'),
    to: z.array(z.email()).min(1),
    subject: z.string().min(1).max(200),
  }),
]);
export type NotificationChannel = z.infer<typeof notificationChannel>;

export const sendNotification = defineNode({
  type: 'notify.send',
  label: 'Send notification',
  category: 'Notify',
  description: 'Sends a message by each chosen channel: the log, a webhook, or email when SMTP is configured.',
  ports: ['next'],
  canFail: true,
  timeoutMs: 30_000,
  params: z.object({
    message: z.string().min(1),
    channels: z.array(notificationChannel).min(1),
  }),
  outputs: z.object({ delivered: z.array(z.string()) }),
});

export const notifyNodes = [sendNotification];
