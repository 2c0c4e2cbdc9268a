import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from '@dangjian/testing';

/**
 * GraphiQL as a person on a government intranet gets it: Debian's Chromium, headless, with every request
 * that leaves the server refused (and recorded). `.ci/run` installs Chromium when it is missing; outside CI
 * a machine without it skips this file, saying so.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium package`);

/** Replaces an editor's whole text the way typing would, minus Monaco's auto-closed brackets and quotes. */
async function typeInto(page: Page, editor: string, text: string): Promise<void> {
  await page.locator(editor).last().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
  await page.keyboard.press('Shift+Control+End');
  await page.keyboard.press('Delete');
}

async function responseContaining(page: Page, text: string): Promise<string> {
  await page.waitForFunction((t) => document.querySelector('.graphiql-response')?.textContent?.includes(t), text, { timeout: 30_000 });
  // Monaco renders spaces as no-break spaces and only the lines in view: compare text, not parsed JSON.
  return (await page.locator('.graphiql-response').innerText()).replace(/\u00a0/g, ' ').replace(/\s+/g, ' ');
}

describe.skipIf(!haveBrowser)('GraphiQL offline, in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const requested: string[] = [];
  const refused: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // The flags a browser on a closed network needs so that it does not phone home on its own; any name
      // but the server's resolves nowhere.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
      ],
    });
    page = await browser.newPage();
    const origin = new URL(server.url).origin;
    await page.route('**/*', (route) => {
      const url = route.request().url();
      requested.push(url);
      if (url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
      refused.push(url);
      return route.abort('internetdisconnected');
    });
    page.on('websocket', (ws) => requested.push(ws.url()));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves a page whose HTML names no external host for a script, style, font or worker', async () => {
    const html = await (await fetch(server.url, { headers: { accept: 'text/html' } })).text();
    expect(html).toContain('<title>党建 GraphQL</title>');
    const external = [...html.matchAll(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(https?:)?\/\/[^"'\s>]+/gi)].map(
      (m) => m[0],
    );
    expect(external).toEqual([]);
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdnjs|esm\.sh|fonts\.googleapis/);
  });

  it('renders the editor, runs a typed query with the token from the header editor, and streams a subscription over graphql-ws', async () => {
    await page.goto(server.url, { waitUntil: 'load' });
    await page.waitForSelector('.graphiql-query-editor .monaco-editor', { timeout: 60_000 });
    // The header editor starts with the Authorization header to fill in.
    await page.getByRole('button', { name: 'Headers' }).click();
    expect(await page.locator('.graphiql-editor-tool .monaco-editor').last().innerText()).toContain('Authorization');
    const token = await server.token('SZJGGW', ['ADMIN'], 'graphiql-user');
    await typeInto(page, '.graphiql-editor-tool .monaco-editor', JSON.stringify({ Authorization: `Bearer ${token}` }));

    await typeInto(page, '.graphiql-query-editor .monaco-editor', '{ viewer { userId organization { code } } }');
    await page.locator('.graphiql-execute-button').click();
    const answer = await responseContaining(page, 'userId');
    expect(answer).toContain('"userId": "graphiql-user"');
    expect(answer).toContain('"code": "SZJGGW"');
    expect(answer).not.toContain('errors');

    await typeInto(page, '.graphiql-query-editor .monaco-editor', 'subscription { activityAdded { kind } }');
    await page.locator('.graphiql-execute-button').click();
    const org = await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ' } });
    const id = Buffer.from(`Organization:${org.id}`).toString('base64');
    // The socket may still be opening: write until the page shows the event.
    const shown = (async () => responseContaining(page, 'organization.updated'))();
    for (let n = 0; n < 20; n++) {
      const name = n % 2 ? org.name : `${org.name}（${n}）`;
      const written = await server.gql(
        'mutation ($id: ID!, $name: String!) { updateOrganization(id: $id, input: { name: $name }) { id } }',
        { id, name },
        token,
      );
      expect(written.errors).toBeUndefined();
      if (await Promise.race([shown.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 500))])) break;
    }
    expect(await shown).toContain('"kind": "organization.updated"');

    expect(refused).toEqual([]);
    expect(
      requested.every((url) => new URL(url).host === new URL(server.url).host || url.startsWith('blob:') || url.startsWith('data:')),
    ).toBe(true);
    expect(requested.some((url) => url.startsWith('ws://'))).toBe(true);
  });
});
