import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { criLogRecords, criTimestamp, CriLogWriter, MAX_LOG_LINE } from './cri-log.writer.js';

const NOW = new Date('2026-12-04T03:04:05.678Z');
const T = '2026-12-04T03:04:05.678000000Z';

describe('criTimestamp', () => {
  it('is RFC 3339 with nine fractional digits, as time.RFC3339Nano parses it', () => {
    expect(criTimestamp(NOW)).toBe(T);
    expect(criTimestamp(new Date('2026-01-01T00:00:00.000Z'))).toBe('2026-01-01T00:00:00.000000000Z');
  });
});

describe('criLogRecords', () => {
  it.each<[string, string, string, string[], string]>([
    ['one full line', '', 'ready\n', [`${T} stdout F ready\n`], ''],
    ['two lines and a rest', '', 'a\nb\nc', [`${T} stdout F a\n`, `${T} stdout F b\n`], 'c'],
    ['the rest of the chunk before completes its line', 'hel', 'lo\n', [`${T} stdout F hello\n`], ''],
    ['an empty line is a record', '', '\n', [`${T} stdout F \n`], ''],
    ['no newline, nothing yet', '', 'partial', [], 'partial'],
  ])('%s', (_case, pending, chunk, records, rest) => {
    expect(criLogRecords('stdout', pending, chunk, NOW)).toEqual({ records, pending: rest });
  });

  it('cuts a line longer than MAX_LOG_LINE into P records ending with an F', () => {
    const line = 'x'.repeat(MAX_LOG_LINE * 2 + 5);
    const { records, pending } = criLogRecords('stderr', '', `${line}\n`, NOW);
    expect(records.map((r) => r.split(' ').slice(1, 3).join(' '))).toEqual(['stderr P', 'stderr P', 'stderr F']);
    expect(records.map((r) => r.slice(r.indexOf(' ', T.length + 8) + 1, -1).length)).toEqual([
      MAX_LOG_LINE,
      MAX_LOG_LINE,
      5,
    ]);
    expect(pending).toBe('');
  });

  it('writes out an unfinished line as P records once it is too long to keep', () => {
    const { records, pending } = criLogRecords('stdout', '', 'y'.repeat(MAX_LOG_LINE + 3), NOW);
    expect(records).toEqual([`${T} stdout P ${'y'.repeat(MAX_LOG_LINE)}\n`]);
    expect(pending).toBe('yyy');
  });
});

describe('CriLogWriter', () => {
  const file = () => path.join(mkdtempSync(path.join(tmpdir(), 'focal-cri-log-')), 'main', '0.log');
  const texts = (log: string) =>
    log
      .split('\n')
      .filter(Boolean)
      .map((r) => r.split(' ').slice(1).join(' '));

  it('keeps each stream its own lines, and flushes an unfinished one on close', () => {
    const at = file();
    const writer = new CriLogWriter(at);
    writer.write('stdout', Buffer.from('out 1\nout '));
    writer.write('stderr', Buffer.from('err 1\n'));
    writer.write('stdout', Buffer.from('2\ntail'));
    writer.close();
    expect(texts(readFileSync(at, 'utf8'))).toEqual([
      'stdout F out 1',
      'stderr F err 1',
      'stdout F out 2',
      'stdout F tail',
    ]);
  });

  it('decodes a UTF-8 character split across two chunks whole', () => {
    const at = file();
    const writer = new CriLogWriter(at);
    const bytes = Buffer.from('Grüße\n');
    writer.write('stdout', bytes.subarray(0, 3));
    writer.write('stdout', bytes.subarray(3));
    writer.close();
    expect(texts(readFileSync(at, 'utf8'))).toEqual(['stdout F Grüße']);
  });

  it('writes nothing once closed (output that arrives after the container ended)', () => {
    const at = file();
    const writer = new CriLogWriter(at);
    writer.write('stdout', 'last\n');
    writer.close();
    writer.write('stdout', 'late\n');
    writer.close();
    expect(texts(readFileSync(at, 'utf8'))).toEqual(['stdout F last']);
  });
});
