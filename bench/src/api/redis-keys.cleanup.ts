import { createConnection } from 'node:net';

/** One RESP command as an array of bulk strings. */
function encode(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

const DELETE_BY_PATTERN = `local n = 0
for _, key in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', key); n = n + 1 end
return n`;

/**
 * Sends commands to Redis and returns the simple replies (+OK, :n); enough for AUTH/SELECT/EVAL.
 * Bull's own client is not a dependency of the bench, and only one Lua call is needed.
 */
function redisCommands(url: string, commands: string[][], timeoutMs = 5_000): Promise<string[]> {
  const target = new URL(url);
  return new Promise((resolveReplies, reject) => {
    const socket = createConnection({ host: target.hostname, port: Number(target.port || 6379) });
    const replies: string[] = [];
    let buffer = '';
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('redis timed out')));
    socket.on('error', reject);
    socket.on('connect', () => socket.write(commands.map(encode).join('')));
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\r\n')) >= 0) {
        replies.push(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 2);
      }
      if (replies.length >= commands.length) {
        socket.end();
        const failed = replies.find((r) => r.startsWith('-'));
        if (failed) reject(new Error(`redis: ${failed.slice(1)}`));
        else resolveReplies(replies);
      }
    });
  });
}

/** AUTH and SELECT as the URL asks (redis://user:password@host:port/db). */
function preamble(redisUrl: string): string[][] {
  const target = new URL(redisUrl);
  const commands: string[][] = [];
  if (target.password) {
    const user = decodeURIComponent(target.username);
    const password = decodeURIComponent(target.password);
    commands.push(user ? ['AUTH', user, password] : ['AUTH', password]);
  }
  const db = target.pathname.replace('/', '');
  if (db) commands.push(['SELECT', db]);
  return commands;
}

/** Deletes every key under a Bull queue prefix (`<prefix>:*`); returns how many went. */
export async function deleteQueueKeys(redisUrl: string, prefix: string): Promise<number> {
  const replies = await redisCommands(redisUrl, [
    ...preamble(redisUrl),
    ['EVAL', DELETE_BY_PATTERN, '0', `${prefix}:*`],
  ]);
  return Number(replies[replies.length - 1].replace(':', ''));
}

/** True when Redis answers PING. */
export async function redisReachable(redisUrl: string): Promise<boolean> {
  try {
    const replies = await redisCommands(redisUrl, [...preamble(redisUrl), ['PING']], 2_000);
    return replies[replies.length - 1] === '+PONG';
  } catch {
    return false;
  }
}
