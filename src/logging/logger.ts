import type { LogOutputChannel } from 'vscode';
import { maskSecrets } from '../core/mask';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    return `${error.name}: ${error.message}`;
  }
  return String(error);
}

/** Formats and masks once, then hands the safe line to a sink. */
export class MaskingLogger implements Logger {
  constructor(private readonly sinks: readonly LogSink[]) {}

  info(message: string): void {
    this.write('info', message);
  }
  warn(message: string): void {
    this.write('warn', message);
  }
  error(message: string, error?: unknown): void {
    this.write('error', error === undefined ? message : `${message}: ${describe(error)}`);
  }

  private write(level: LogLevel, message: string): void {
    const safe = maskSecrets(message);
    for (const sink of this.sinks) {
      sink.write(level, safe);
    }
  }
}

export type LogLevel = 'info' | 'warn' | 'error';

export interface LogSink {
  write(level: LogLevel, line: string): void;
}

export class OutputChannelSink implements LogSink {
  constructor(private readonly channel: LogOutputChannel) {}
  write(level: LogLevel, line: string): void {
    this.channel[level](line);
  }
}

/** Keeps the last lines in memory, so tests can prove what was (not) logged. */
export class MemorySink implements LogSink {
  readonly lines: string[] = [];
  write(level: LogLevel, line: string): void {
    this.lines.push(`[${level}] ${line}`);
    if (this.lines.length > 2000) {
      this.lines.shift();
    }
  }
}
