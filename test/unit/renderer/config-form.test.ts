import { describe, expect, it } from 'vitest';
import type { ConfigDraft } from '../../../src/renderer/src/settings/config-form.js';
import {
  draftFromView,
  draftToUpdate,
  fieldErrorsFromCore,
  fieldOfPath,
  isDraftUnchanged,
  parseTypeList,
  validateDraft,
} from '../../../src/renderer/src/settings/config-form.js';
import { CONFIG_VIEW } from './fixtures.js';

const draft = (overrides: Partial<ConfigDraft> = {}): ConfigDraft => ({ ...draftFromView(CONFIG_VIEW), ...overrides });

describe('parseTypeList', () => {
  it('splits on commas and spaces, drops blanks and duplicates', () => {
    expect(parseTypeList(' workspace, review  worker,,review ')).toEqual(['workspace', 'review', 'worker']);
    expect(parseTypeList('')).toEqual([]);
  });
});

describe('fieldOfPath', () => {
  it.each([
    [['coordinationUrl'], 'coordinationUrl', null],
    [['localAgentTypes', 2], 'localAgentTypes', 2],
    ['config.coordinationUrl', 'coordinationUrl', null],
    ['config.remoteAgentTypes.0', 'remoteAgentTypes', 0],
    ['apiToken', 'apiToken', null],
    ['', 'form', null],
    ['config', 'form', null],
    ['somethingElse', 'form', null],
  ] as const)('%j → %s', (path, field, index) => {
    expect(fieldOfPath(path)).toEqual({ field, index });
  });
});

describe('validateDraft (the shared HybridConfig schema)', () => {
  it('accepts the default config', () => {
    expect(validateDraft(draft()).errors).toEqual({});
  });

  it('rejects a URL that is not ws:// or wss:// on its field', () => {
    const { errors } = validateDraft(draft({ coordinationUrl: 'http://nats.example.com' }));
    expect(Object.keys(errors)).toEqual(['coordinationUrl']);
    expect(errors.coordinationUrl).toMatch(/ws:\/\/ or wss:\/\//);
  });

  it('asks for a URL when hybrid mode is enabled without one', () => {
    const { errors } = validateDraft(draft({ enabled: true }));
    expect(errors.coordinationUrl).toMatch(/needs the coordination service URL/);
  });

  it('names the bad entry of a type list', () => {
    const { errors } = validateDraft(draft({ localAgentTypes: 'workspace, bad/type' }));
    expect(errors.localAgentTypes).toMatch(/^"bad\/type": /);
  });

  it('reports a type in both lists on the remote list', () => {
    const { errors } = validateDraft(draft({ localAgentTypes: 'workspace', remoteAgentTypes: 'worker workspace' }));
    expect(errors.remoteAgentTypes).toMatch(/both local and remote: workspace/);
  });

  it('rejects a bad repo name', () => {
    expect(validateDraft(draft({ repo: 'has.dot' })).errors.repo).toBeDefined();
    expect(validateDraft(draft({ repo: '' })).errors.repo).toBeDefined();
  });

  it('collects several field errors at once', () => {
    const { errors } = validateDraft(draft({ coordinationUrl: 'nope', repo: '' }));
    expect(Object.keys(errors).sort()).toEqual(['coordinationUrl', 'repo']);
  });
});

describe('draftToUpdate', () => {
  it('trims and parses the inputs', () => {
    const update = draftToUpdate(
      draft({ enabled: true, coordinationUrl: ' wss://n.example:443 ', repo: ' web ', remoteAgentTypes: 'supervisor, worker' }),
    );
    expect(update).toEqual({
      config: {
        enabled: true,
        coordinationUrl: 'wss://n.example:443',
        repo: 'web',
        localAgentTypes: [],
        remoteAgentTypes: ['supervisor', 'worker'],
        fallbackToLocal: false,
        allowInsecureTransport: false,
      },
    });
  });

  it('refuses ws:// to another machine until unencrypted transport is allowed', () => {
    const plain = draft({ enabled: true, coordinationUrl: 'ws://nats.team.example:8080' });
    expect(validateDraft(plain).errors.coordinationUrl).toMatch(/unencrypted/);
    expect(validateDraft({ ...plain, allowInsecureTransport: true }).errors).toEqual({});
    expect(validateDraft({ ...plain, coordinationUrl: 'ws://localhost:8080' }).errors).toEqual({});
    expect(validateDraft({ ...plain, coordinationUrl: 'wss://alice:pw@nats.team.example' }).errors.coordinationUrl).toMatch(/user or password/);
  });

  it('sends the token only when it is replaced or cleared', () => {
    expect('apiToken' in draftToUpdate(draft())).toBe(false);
    expect(draftToUpdate(draft({ token: { action: 'replace', value: 's3cret' } })).apiToken).toBe('s3cret');
    expect(draftToUpdate(draft({ token: { action: 'clear' } })).apiToken).toBeNull();
  });
});

describe('isDraftUnchanged', () => {
  it('sees formatting-only edits of a list as no change', () => {
    const view = { ...CONFIG_VIEW, localAgentTypes: ['workspace', 'review'] };
    expect(isDraftUnchanged({ ...draftFromView(view), localAgentTypes: 'workspace  review,' }, view)).toBe(true);
    expect(isDraftUnchanged({ ...draftFromView(view), localAgentTypes: 'review, workspace' }, view)).toBe(false);
  });

  it('counts a token edit as a change', () => {
    expect(isDraftUnchanged(draft({ token: { action: 'clear' } }), CONFIG_VIEW)).toBe(false);
  });
});

describe('fieldErrorsFromCore (a ValidationError from config.set)', () => {
  it('maps the dotted paths of the call input to fields', () => {
    const update = draftToUpdate(draft({ localAgentTypes: 'ok, no!' }));
    const errors = fieldErrorsFromCore(
      [
        { path: 'config.coordinationUrl', message: 'bad url' },
        { path: 'config.localAgentTypes.1', message: 'bad type' },
        { path: 'apiToken', message: 'too long' },
      ],
      update,
      'invalid input of config.set',
    );
    expect(errors).toEqual({
      coordinationUrl: 'bad url',
      localAgentTypes: '"no!": bad type',
      apiToken: 'too long',
    });
  });

  it('falls back to a form-level message when no issue names a field', () => {
    expect(fieldErrorsFromCore([], draftToUpdate(draft()), 'keychain locked')).toEqual({ form: 'keychain locked' });
  });
});

describe('the cluster servers field', () => {
  it('turns the typed list into config.servers and back, and leaves it out when empty', () => {
    const update = draftToUpdate(draft({ servers: 'wss://n2.example.com\nwss://n3.example.com, wss://n2.example.com' }));
    expect(update.config.servers).toEqual(['wss://n2.example.com', 'wss://n3.example.com']);
    expect(draftToUpdate(draft({ servers: ' ' })).config.servers).toBeUndefined();
    const view = { ...CONFIG_VIEW, servers: ['wss://n2.example.com'] };
    expect(isDraftUnchanged(draftFromView(view), view)).toBe(true);
    expect(isDraftUnchanged({ ...draftFromView(view), servers: '' }, view)).toBe(false);
  });

  it('names the bad server on its field', () => {
    const { errors } = validateDraft(draft({ servers: 'wss://n2.example.com http://n3.example.com' }));
    expect(errors.servers).toMatch(/^"http:\/\/n3.example.com": /);
  });
});
