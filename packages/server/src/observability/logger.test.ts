import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { createLogger, redactText } from './logger.ts';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTE3Iiwib3JnIjoieCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe('redactText', () => {
  it('removes tokens, Authorization values, national IDs and phone numbers', () => {
    const text = redactText(
      `authorization: Bearer ${JWT} Authorization=abc123 token ${JWT} id 11010519491231002X or 110105194912310021, phone 13812345678 / +86 13912345678, seq 12345`,
    );
    expect(text).not.toContain(JWT);
    expect(text).not.toContain('abc123');
    expect(text).not.toMatch(/11010519491231002[X1]/);
    expect(text).not.toMatch(/1381234567|1391234567/);
    expect(text).toContain('[redacted national id]');
    expect(text).toContain('[redacted phone]');
    expect(text).toContain('seq 12345');
  });

  it('leaves request ids (UUIDs) and ordinary numbers alone', () => {
    const id = '0190f3a2-7b1c-7d4e-8f00-123456789012';
    expect(redactText(`error ${id}: timeout after 5000 ms`)).toBe(`error ${id}: timeout after 5000 ms`);
  });
});

describe('createLogger', () => {
  it('json: one object per line with level, time, the request id, and redacted message and fields', () => {
    const { lines, stream } = capture();
    const logger = createLogger('json', stream);
    const id = '0190f3a2-7b1c-7d4e-8f00-123456789012';
    logger.error(`error ${id}: duplicate nationalId 11010519491231002X (Bearer ${JWT})`, { requestId: id });
    logger.info('dangjian: ready');
    const [first, second] = lines.map((l) => JSON.parse(l));
    expect(first).toMatchObject({ level: 'error', requestId: id, service: 'dangjian' });
    expect(first.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(first.msg).toContain('[redacted national id]');
    expect(lines[0]).not.toContain('11010519491231002X');
    expect(lines[0]).not.toContain(JWT);
    expect(second).toMatchObject({ level: 'info', msg: 'dangjian: ready' });
    expect(second.requestId).toBeUndefined();
  });

  it('text: plain lines on stdout and stderr, redacted, naming the request', () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const logger = createLogger('text');
      logger.info('phone 13812345678');
      logger.error('audit failed', { requestId: 'r-1' });
      expect(out).toHaveBeenCalledWith('phone [redacted phone]');
      expect(err).toHaveBeenCalledWith('audit failed (request r-1)');
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});
