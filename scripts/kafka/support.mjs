/**
 * Small helpers of the broker scripts: running a command to completion, a cross-process lock,
 * free ports, quiet file reads, and the formats of sizes and durations in messages.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaLocalError } from './versions.mjs';

/** Runs a command to completion, collecting its output (never throws). */
export function run(cmd, args, { cwd, timeoutMs = 600_000 } = {}) {
  return new Promise((resolveRun) => {
    execFile(
      cmd,
      args,
      { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolveRun({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          error: error && typeof error.code === 'string' ? error : undefined,
          timedOut: Boolean(error?.killed),
          stdout: String(stdout),
          stderr: String(stderr),
        });
      },
    );
  });
}

/** One process at a time fetches a version (a mkdir lock; a lock whose owner died is taken over). */
export async function withLock(lockDir, fn) {
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const owner = Number(readFileSafe(join(lockDir, 'pid')));
      if (owner && !processAlive(owner)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new KafkaLocalError(`Timed out waiting for ${lockDir}.`);
      await delay(250);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

export function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

export async function freePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      await new Promise((resolveListen, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolveListen);
      });
      servers.push(server);
    }
    return servers.map((server) => server.address().port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  }
}

export function portIsFree(port) {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePort(true)));
  });
}

export function propertyValue(value) {
  return value.replace(/\\/g, '\\\\');
}

export function splitAddress(address) {
  const index = address.lastIndexOf(':');
  return [address.slice(0, index), Number(address.slice(index + 1))];
}

export function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

export function readFileSafe(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export function delay(ms) {
  return new Promise((resolveDelay) => setTimeout(resolveDelay, ms));
}

/** A fresh temp dir for a broker's data (kept after stop). */
export function makeTempDataDir(prefix = 'streampulse-kafka-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function mib(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}
