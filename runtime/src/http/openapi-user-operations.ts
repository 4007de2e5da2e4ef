import {
  domainEntrySchema,
  issuedTokenSchema,
  meSchema,
  resultOf,
  tableViewSchema,
  tokenCreateSchema,
  tokenViewSchema,
  userCreateSchema,
  userUpdateSchema,
  userViewSchema,
} from '@lockstep/schema';
import { z } from 'zod';
import { anyId, linksTo, locationHeader, type Operation } from './openapi-operation.js';

const V1 = '/api/lockstep/v1';

/** Users and their tokens, the caller, domains and the table dictionary. `tokenMaxDays` bounds a new token's life. */
export function userOperations(tokenMaxDays: number): Operation[] {
  const user = z.strictObject({ userId: anyId.describe('A sys_id, or `me` for the caller') });
  const token = z.strictObject({ userId: anyId.describe('A sys_id, or `me` for the caller'), tokenId: anyId });
  const deleted = { 204: { description: 'Deleted' } };
  return [
    { method: 'get', path: `${V1}/me`, tag: 'Users', summary: 'Who the request runs as', responses: { 200: { description: 'The caller', body: resultOf(meSchema) } } },
    { method: 'get', path: `${V1}/users`, tag: 'Users', summary: "List the users of the caller's domain tree (admin)", responses: { 200: { description: 'The users', body: resultOf(z.array(userViewSchema)) } } },
    {
      method: 'post',
      path: `${V1}/users`,
      tag: 'Users',
      summary: 'Create a user (admin)',
      body: userCreateSchema,
      responses: {
        201: {
          description: 'The user',
          body: resultOf(userViewSchema),
          headers: locationHeader,
          links: [
            ...linksTo(`${V1}/users/{userId}`, ['get', 'patch', 'delete'], { userId: '$response.body#/result/sys_id' }),
            ...linksTo(`${V1}/users/{userId}/tokens`, ['get', 'post', 'delete'], { userId: '$response.body#/result/sys_id' }),
          ],
        },
      },
    },
    { method: 'get', path: `${V1}/users/{userId}`, tag: 'Users', summary: 'Read a user', params: user, responses: { 200: { description: 'The user', body: resultOf(userViewSchema) } } },
    {
      method: 'patch',
      path: `${V1}/users/{userId}`,
      tag: 'Users',
      summary: 'Change a user (admin); a new password or deactivation ends its tokens',
      params: user,
      body: userUpdateSchema,
      responses: { 200: { description: 'The user', body: resultOf(userViewSchema) } },
    },
    { method: 'delete', path: `${V1}/users/{userId}`, tag: 'Users', summary: 'Delete a user and its tokens (admin)', params: user, responses: deleted },
    { method: 'get', path: `${V1}/users/{userId}/tokens`, tag: 'Tokens', summary: "List a user's API tokens", params: user, responses: { 200: { description: 'The tokens, never their secrets', body: resultOf(z.array(tokenViewSchema)) } } },
    {
      method: 'post',
      path: `${V1}/users/{userId}/tokens`,
      tag: 'Tokens',
      summary: 'Issue an API token: its secret is shown this once',
      params: user,
      body: tokenCreateSchema(tokenMaxDays),
      responses: {
        201: {
          description: 'The token, with its secret',
          body: resultOf(issuedTokenSchema),
          links: linksTo(`${V1}/users/{userId}/tokens/{tokenId}`, ['delete'], { userId: '$request.path.userId', tokenId: '$response.body#/result/sys_id' }),
        },
      },
    },
    { method: 'delete', path: `${V1}/users/{userId}/tokens`, tag: 'Tokens', summary: "Revoke all of a user's tokens", params: user, responses: deleted },
    { method: 'delete', path: `${V1}/users/{userId}/tokens/{tokenId}`, tag: 'Tokens', summary: 'Revoke one token', params: token, responses: deleted },
    {
      method: 'get',
      path: `${V1}/domains`,
      tag: 'Domains',
      summary: "The domains the caller's home domain sees, in tree order",
      responses: { 200: { description: 'The domains', body: resultOf(z.array(domainEntrySchema)) } },
    },
    {
      method: 'get',
      path: `${V1}/dictionary/tables`,
      tag: 'Dictionary',
      summary: 'The tables the caller may read, with their fields',
      query: z.strictObject({}),
      responses: { 200: { description: 'The tables', body: resultOf(z.array(tableViewSchema)) } },
    },
    {
      method: 'get',
      path: `${V1}/dictionary/tables/{table}`,
      tag: 'Dictionary',
      summary: "One table's definition, inheritance resolved",
      params: z.strictObject({ table: z.string().min(1) }),
      query: z.strictObject({}),
      responses: { 200: { description: 'The table', body: resultOf(tableViewSchema) } },
    },
  ];
}
