import * as vscode from 'vscode';
import { DIAGNOSTIC_COLLECTION, DiagnosticCodes, Settings } from '../constants';
import { shapeOf, type CredentialKind } from '../core/credentials';
import { detectCredentials, findCredentials, findingKey, keyedFinding, positionedFinding, type CredentialAt, type CredentialSpan, type Finding, type KeyedFinding } from '../core/detector';
import type { KeyStore } from '../keys/keyStore';
import type { Logger } from '../logging/logger';
import type { Interaction } from '../ui/interaction';
import type { GitStatus } from './gitStatus';

/** Live checks stop here (~10 ms of detection); bigger documents are left to Scan Workspace and the CLI. */
export const MAX_LIVE_CHARACTERS = 10 * 1024 * 1024;
const DEBOUNCE_MS = 250;
const SKIPPED_SCHEMES = new Set(['output', 'git', 'gitfs', 'vscode-scm', 'debug']);
const DIAGNOSTIC_CODES: ReadonlySet<string> = new Set(Object.values(DiagnosticCodes));

export type DetectionSeverity = 'error' | 'warning' | 'information' | 'hint';

const SEVERITY: Record<DetectionSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function isKeyDiagnostic(diagnostic: vscode.Diagnostic): boolean {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return typeof code === 'string' && DIAGNOSTIC_CODES.has(code);
}

/** A cheap test for binary content: a NUL in the first 8 KB. */
export function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\u0000');
}

/**
 * Diagnostics for hard-coded Claude credentials in every open document, updated as the user types
 * and cleared on close. Messages carry only the masked key.
 */
export class HardcodedKeyDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_COLLECTION);
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly notedLarge = new Set<string>();
  private disposed = false;
  /** Stored key → its name, kept in memory only, to say "this is your stored key". */
  private storedKeys: Promise<Map<string, string>> | undefined;
  private readonly diagnosedEmitter = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a document's diagnostics are set (tests wait on it). */
  readonly onDidDiagnose = this.diagnosedEmitter.event;

  constructor(
    private readonly store: KeyStore,
    private readonly git: GitStatus,
    private readonly ui: Interaction,
    private readonly logger: Logger,
  ) {}

  /** Starts following documents; called after activation so start-up stays cheap. */
  start(): void {
    // The deferred call can land after the extension was disposed: subscribe to nothing then.
    if (this.disposed) {
      return;
    }
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => void this.diagnose(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidSaveTextDocument((d) => this.git.forget(d.uri)),
      this.store.onDidChange(() => {
        this.storedKeys = undefined;
        this.rediagnoseAll();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${Settings.section}.detection`)) {
          this.rediagnoseAll();
        }
      }),
      // Git runs only once the workspace is trusted: the messages can now say "tracked by git".
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.rediagnoseAll()),
    );
    this.rediagnoseAll();
  }

  enabled(): boolean {
    return vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.detectionEnabled, true);
  }

  /** Checks one open document now. */
  async diagnose(document: vscode.TextDocument): Promise<readonly vscode.Diagnostic[]> {
    if (SKIPPED_SCHEMES.has(document.uri.scheme)) {
      return [];
    }
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    if (!this.enabled()) {
      this.collection.delete(document.uri);
      return [];
    }
    const version = document.version;
    const text = document.getText();
    if (text.length > MAX_LIVE_CHARACTERS) {
      this.noteTooLarge(document, text.length);
      this.collection.delete(document.uri);
      return [];
    }
    if (looksBinary(text)) {
      this.collection.delete(document.uri);
      return [];
    }
    // Taken before any await: the same version as `text`.
    const findings = documentFindings(document, text);
    const diagnostics = await this.toDiagnostics(document.uri, findings);
    // A newer edit may have landed while git answered.
    if (document.isClosed || document.version !== version) {
      return diagnostics;
    }
    this.collection.set(document.uri, diagnostics);
    this.diagnosedEmitter.fire(document.uri);
    return diagnostics;
  }

  /** Diagnostics for the findings in a file (open or not), each with its key (compared with the stored ones, never shown). */
  async toDiagnostics(uri: vscode.Uri, findings: readonly KeyedFinding[]): Promise<vscode.Diagnostic[]> {
    if (findings.length === 0) {
      return [];
    }
    const [stored, tracked] = await Promise.all([this.stored(), this.git.isTracked(uri)]);
    const severities = vscode.workspace.getConfiguration(Settings.section).get<Partial<Record<string, DetectionSeverity>>>(Settings.detectionSeverity) ?? {};
    return findings.map((f) => {
      const range = new vscode.Range(f.line, f.column, f.endLine, f.endColumn);
      const storedName = stored.get(f.key);
      const diagnostic = new vscode.Diagnostic(range, diagnosticMessage(f, storedName, tracked === true), SEVERITY[severityFor(f.kind, severities)]);
      diagnostic.code = DiagnosticCodes[f.kind];
      diagnostic.source = DIAGNOSTIC_COLLECTION;
      return diagnostic;
    });
  }

  /** The finding under a diagnostic's range, re-read from the document (the key is never cached). */
  findingAt(document: vscode.TextDocument, range: vscode.Range): { finding: Finding; key: string } | undefined {
    const line = document.lineAt(range.start.line);
    const offset = document.offsetAt(line.range.start);
    const text = line.text;
    for (const f of detectCredentials(text, { honourIgnoreMarkers: false })) {
      if (f.column <= range.start.character && range.start.character < f.endColumn) {
        const finding: Finding = { ...f, start: f.start + offset, end: f.end + offset, line: range.start.line, endLine: range.start.line };
        return { finding, key: findingKey(text, f) };
      }
    }
    return undefined;
  }

  /** Whether `key` is one of the stored keys, and its name. */
  async storedName(key: string): Promise<string | undefined> {
    return (await this.stored()).get(key);
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    for (const s of this.subscriptions) {
      s.dispose();
    }
    this.collection.dispose();
    this.diagnosedEmitter.dispose();
  }

  private schedule(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => void this.diagnose(document), DEBOUNCE_MS),
    );
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    // Untitled documents reuse names: keep what belongs to a document now open under the same URI.
    if (vscode.workspace.textDocuments.some((d) => !d.isClosed && d.uri.toString() === key)) {
      return;
    }
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.collection.delete(uri);
  }

  private rediagnoseAll(): void {
    for (const document of vscode.workspace.textDocuments) {
      void this.diagnose(document);
    }
  }

  private stored(): Promise<Map<string, string>> {
    if (!this.storedKeys) {
      this.storedKeys = this.store.getKeyring().then(
        (keyring) => new Map(Object.entries(keyring.keys).map(([name, key]) => [key, name])),
        () => new Map(),
      );
    }
    return this.storedKeys;
  }

  private noteTooLarge(document: vscode.TextDocument, length: number): void {
    const key = document.uri.toString();
    if (this.notedLarge.has(key)) {
      return;
    }
    this.notedLarge.add(key);
    const megabytes = (length / (1024 * 1024)).toFixed(1);
    this.logger.info(`live key check skipped for ${vscode.workspace.asRelativePath(document.uri)} (${megabytes} MB)`);
    void this.ui.showMessage(
      'info',
      vscode.l10n.t(
        'Claude Keys does not check {0} as you type: it is {1} MB. Run "Claude Keys: Scan Workspace for Hard-coded Keys" or the claude-keys CLI to check it.',
        vscode.workspace.asRelativePath(document.uri),
        megabytes,
      ),
      {},
    );
  }
}

function severityFor(kind: CredentialKind, configured: Partial<Record<string, DetectionSeverity>>): DetectionSeverity {
  const group = kind === 'oauthAccessToken' || kind === 'oauthRefreshToken' ? 'oauthToken' : kind;
  const value = configured[group];
  if (value && Object.hasOwn(SEVERITY, value)) {
    return value;
  }
  return kind === 'apiKey' || kind === 'adminKey' ? 'error' : 'warning';
}

export function diagnosticMessage(finding: CredentialAt, storedName: string | undefined, trackedByGit: boolean): string {
  const label = shapeOf(finding.kind).label;
  const parts = [
    finding.encoding === 'base64'
      ? vscode.l10n.t('Hard-coded base64-encoded {0} {1}.', label, finding.masked)
      : finding.encoding === 'escaped'
        ? vscode.l10n.t('Hard-coded {0} {1}, written with escapes.', label, finding.masked)
        : vscode.l10n.t('Hard-coded {0} {1}.', label, finding.masked),
  ];
  if (storedName !== undefined) {
    parts.push(vscode.l10n.t('It is your stored key "{0}".', storedName));
  }
  parts.push(
    trackedByGit
      ? vscode.l10n.t('This file is tracked by git, so the key is in its history: treat it as leaked and rotate it.')
      : finding.encoding
        ? vscode.l10n.t('Take it out of the file by hand (no quick fix rewrites an encoded key), then rotate it.')
        : vscode.l10n.t('Move it out of the source: use the quick fix.'),
  );
  return parts.join(' ');
}

/** The findings in an open document's `text`, with their keys; positions from the document (it keeps its line index). */
export function documentFindings(document: vscode.TextDocument, text: string): KeyedFinding[] {
  return findCredentials(text).map((span) => keyedFinding(text, positioned(document, span)));
}

/** A span of the document's text as a finding with the document's own line and column. */
function positioned(document: vscode.TextDocument, span: CredentialSpan): Finding {
  const start = document.positionAt(span.start);
  const end = document.positionAt(span.end);
  return positionedFinding(span, start.line, start.character, end.line, end.character);
}
