/**
 * The Settings form's model: a draft of the hybrid config as the inputs hold it, its
 * conversion to a `config.set` update, and field-level errors from either the shared
 * schema (before saving) or a `ValidationError` the core returned (after).
 */
import type { HybridConfigUpdate, HybridConfigView } from '../../../shared/config.js';
import { HybridConfig } from '../../../shared/config.js';
import type { FieldIssue } from '../../../shared/errors.js';

/** What happens to the stored API token on save. It is write-only: never shown. */
export type TokenEdit = { action: 'keep' } | { action: 'replace'; value: string } | { action: 'clear' };

export interface ConfigDraft {
  enabled: boolean;
  coordinationUrl: string;
  /** Other servers of the cluster, space-, comma- or newline-separated, as typed. */
  servers: string;
  repo: string;
  /** Comma- or space-separated, as typed. */
  localAgentTypes: string;
  remoteAgentTypes: string;
  fallbackToLocal: boolean;
  allowInsecureTransport: boolean;
  token: TokenEdit;
}

export const CONFIG_FIELDS = [
  'enabled',
  'coordinationUrl',
  'servers',
  'repo',
  'localAgentTypes',
  'remoteAgentTypes',
  'fallbackToLocal',
  'allowInsecureTransport',
  'apiToken',
] as const;
export type ConfigField = (typeof CONFIG_FIELDS)[number];

/** Messages per field; `form` holds what belongs to no one field. */
export type FieldErrors = Partial<Record<ConfigField | 'form', string>>;

export function draftFromView(view: HybridConfigView): ConfigDraft {
  return {
    enabled: view.enabled,
    coordinationUrl: view.coordinationUrl,
    servers: (view.servers ?? []).join('\n'),
    repo: view.repo,
    localAgentTypes: view.localAgentTypes.join(', '),
    remoteAgentTypes: view.remoteAgentTypes.join(', '),
    fallbackToLocal: view.fallbackToLocal,
    allowInsecureTransport: view.allowInsecureTransport,
    token: { action: 'keep' },
  };
}

/** "workspace, review  worker," → ["workspace", "review", "worker"]; duplicates dropped. */
export function parseTypeList(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[\s,]+/)) {
    if (part !== '') seen.add(part);
  }
  return [...seen];
}

/** The update a draft asks for, before validation. */
export function draftToUpdate(draft: ConfigDraft): HybridConfigUpdate {
  const servers = parseTypeList(draft.servers);
  const update: HybridConfigUpdate = {
    config: {
      enabled: draft.enabled,
      coordinationUrl: draft.coordinationUrl.trim(),
      ...(servers.length > 0 ? { servers } : {}),
      repo: draft.repo.trim(),
      localAgentTypes: parseTypeList(draft.localAgentTypes),
      remoteAgentTypes: parseTypeList(draft.remoteAgentTypes),
      fallbackToLocal: draft.fallbackToLocal,
      allowInsecureTransport: draft.allowInsecureTransport,
    },
  };
  if (draft.token.action === 'clear') update.apiToken = null;
  if (draft.token.action === 'replace') update.apiToken = draft.token.value;
  return update;
}

/** True when saving the draft would change nothing. */
export function isDraftUnchanged(draft: ConfigDraft, view: HybridConfigView): boolean {
  const { config } = draftToUpdate(draft);
  return (
    draft.token.action === 'keep' &&
    config.enabled === view.enabled &&
    config.coordinationUrl === view.coordinationUrl &&
    sameList(config.servers ?? [], view.servers ?? []) &&
    config.repo === view.repo &&
    config.fallbackToLocal === view.fallbackToLocal &&
    config.allowInsecureTransport === view.allowInsecureTransport &&
    sameList(config.localAgentTypes, view.localAgentTypes) &&
    sameList(config.remoteAgentTypes, view.remoteAgentTypes)
  );
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/**
 * The form field an issue path points at.
 *
 * Accepts a zod path (`['localAgentTypes', 2]`) or the dotted path of a ValidationError
 * from the core, which names the call's input (`config.coordinationUrl`, `apiToken`).
 */
export function fieldOfPath(path: string | readonly PropertyKey[]): { field: ConfigField | 'form'; index: number | null } {
  const segments = (typeof path === 'string' ? path.split('.').filter((s) => s !== '') : path.map(String)).slice();
  if (segments[0] === 'config' && segments.length > 1) segments.shift();
  const head = segments[0];
  const field = (CONFIG_FIELDS as readonly string[]).includes(head ?? '') ? (head as ConfigField) : 'form';
  const second = segments[1];
  const index = second !== undefined && /^\d+$/.test(second) ? Number(second) : null;
  return { field, index };
}

/**
 * Field errors from a list of issues. The first message per field wins; an issue about
 * one entry of a type list names that entry, since the list is one input.
 */
export function issuesToFieldErrors(
  issues: readonly { path: string | readonly PropertyKey[]; message: string }[],
  update?: HybridConfigUpdate,
): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const { field, index } = fieldOfPath(issue.path);
    let message = issue.message;
    if ((field === 'localAgentTypes' || field === 'remoteAgentTypes' || field === 'servers') && index !== null && update) {
      const entry = update.config[field]?.[index];
      if (entry !== undefined) message = `"${entry}": ${message}`;
    }
    errors[field] ??= message;
  }
  return errors;
}

/** Checks a draft against the shared schema: the same rules the core applies on save. */
export function validateDraft(draft: ConfigDraft): { update: HybridConfigUpdate; errors: FieldErrors } {
  const update = draftToUpdate(draft);
  const errors: FieldErrors = {};
  const result = HybridConfig.safeParse(update.config);
  if (!result.success) Object.assign(errors, issuesToFieldErrors(result.error.issues, update));
  if (draft.token.action === 'replace') {
    if (draft.token.value.length === 0) errors.apiToken = 'enter the new token, or cancel the replacement';
    else if (draft.token.value.length > 4096) errors.apiToken = 'a token is at most 4096 characters';
  }
  return { update, errors };
}

/** Field errors from a FieldIssue list (the core's ValidationError). */
export function fieldErrorsFromCore(issues: readonly FieldIssue[], update: HybridConfigUpdate, message: string): FieldErrors {
  const errors = issuesToFieldErrors(issues, update);
  if (Object.keys(errors).length === 0) errors.form = message;
  return errors;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.values(errors).some((message) => message !== undefined);
}
