import request from 'supertest';
import type { TestApp } from './create-test-app';
import { TEST_PASSWORD } from './create-test-app';

/** A Bearer token for the JSON API. */
export async function apiToken(t: TestApp, email: string, password = TEST_PASSWORD): Promise<string> {
  const res = await request(t.http).post('/api/v1/auth/login').send({ email, password }).expect(200);
  return res.body.accessToken as string;
}

/** The CSRF token printed in a page's forms. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token on the page');
  return match[1];
}

/** A browser-like agent (keeps cookies) signed in through the login form. */
export async function pageAgent(t: TestApp, email: string, password = TEST_PASSWORD) {
  const agent = request.agent(t.http);
  const page = await agent.get('/login').expect(200);
  await agent
    .post('/login')
    .type('form')
    .send({ email, password, _csrf: csrfFrom(page.text) })
    .expect(303);
  return agent;
}

/** GETs `path` with the agent and returns the CSRF token of the page. */
export async function csrfOf(agent: ReturnType<typeof request.agent>, path = '/account'): Promise<string> {
  const page = await agent.get(path);
  return csrfFrom(page.text);
}
