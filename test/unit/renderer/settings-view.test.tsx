// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsView } from '../../../src/renderer/src/settings/settings-view.js';
import { resetAppStore, useAppStore } from '../../../src/renderer/src/store/app-store.js';
import { attachApi, setFrameScheduler } from '../../../src/renderer/src/store/actions.js';
import { CONFIG_VIEW, fakeCore, manualFrames } from './fixtures.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let core: ReturnType<typeof fakeCore>;
let frames: ReturnType<typeof manualFrames>;

beforeEach(async () => {
  resetAppStore();
  frames = manualFrames();
  setFrameScheduler(frames);
  core = fakeCore({ config: { ...CONFIG_VIEW, apiTokenSet: true } });
  core.handle('config.set', (input) => {
    const update = input as { config: typeof CONFIG_VIEW; apiToken?: string | null };
    return {
      ...CONFIG_VIEW,
      ...update.config,
      apiTokenSet: update.apiToken === undefined ? true : update.apiToken !== null,
      apiTokenFromEnvironment: false,
    };
  });
  await attachApi(core.api, 'bridge');
  frames.frame();
});

afterEach(() => cleanup());

const setCalls = (): unknown[] => core.calls.filter((c) => c.call === 'config.set').map((c) => c.input);

describe('SettingsView', () => {
  it('labels every input', () => {
    render(<SettingsView />);
    for (const label of [
      'Enable hybrid mode',
      'Coordination URL',
      'Repository',
      'Local agent types',
      'Remote agent types',
      'Fall back to a local agent when the remote one is unreachable',
      'Allow unencrypted ws:// to other machines',
      'API token',
    ]) {
      expect(screen.getByLabelText(label)).toBeTruthy();
    }
  });

  it('shows a field error for a bad URL and sends nothing', async () => {
    render(<SettingsView />);
    fireEvent.change(screen.getByLabelText('Coordination URL'), { target: { value: 'http://nats.example.com' } });
    fireEvent.click(screen.getByTestId('settings-save'));
    const error = await screen.findByTestId('error-coordinationUrl');
    expect(error.textContent).toMatch(/ws:\/\/ or wss:\/\//);
    expect(screen.getByLabelText('Coordination URL').getAttribute('aria-invalid')).toBe('true');
    expect(setCalls()).toEqual([]);
  });

  it('saves a valid config and reports it', async () => {
    render(<SettingsView />);
    fireEvent.click(screen.getByLabelText('Enable hybrid mode'));
    fireEvent.change(screen.getByLabelText('Coordination URL'), { target: { value: 'wss://nats.example.com:443' } });
    fireEvent.change(screen.getByLabelText('Remote agent types'), { target: { value: 'supervisor, worker' } });
    fireEvent.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(screen.getByTestId('settings-status').textContent).toBe('Saved.'));
    expect(setCalls()).toEqual([
      {
        config: {
          enabled: true,
          coordinationUrl: 'wss://nats.example.com:443',
          repo: 'default',
          localAgentTypes: [],
          remoteAgentTypes: ['supervisor', 'worker'],
          fallbackToLocal: false,
          allowInsecureTransport: false,
        },
      },
    ]);
    expect(useAppStore.getState().config?.enabled).toBe(true);
  });

  it('puts the issues of a ValidationError from the core on their fields', async () => {
    core.handle('config.set', () => {
      throw {
        name: 'ValidationError',
        message: 'invalid input of config.set: config.repo: taken',
        issues: [{ path: 'config.repo', message: 'that repo is not allowed for this token' }],
      };
    });
    render(<SettingsView />);
    fireEvent.change(screen.getByLabelText('Repository'), { target: { value: 'secret-repo' } });
    fireEvent.click(screen.getByTestId('settings-save'));
    expect((await screen.findByTestId('error-repo')).textContent).toBe('that repo is not allowed for this token');
    expect(screen.getByTestId('settings-status').textContent).toMatch(/Not saved/);
  });

  it('shows any other failure as a form error', async () => {
    core.handle('config.set', () => {
      throw { name: 'InternalError', message: 'the keychain is locked' };
    });
    render(<SettingsView />);
    fireEvent.change(screen.getByLabelText('Repository'), { target: { value: 'web' } });
    fireEvent.click(screen.getByTestId('settings-save'));
    expect((await screen.findByTestId('settings-form-error')).textContent).toBe('the keychain is locked');
  });

  it('keeps the token write-only: shows set, replaces or clears it', async () => {
    render(<SettingsView />);
    expect(screen.getByTestId('token-status').textContent).toBe('set');
    expect((screen.getByLabelText('API token') as HTMLInputElement).value).toBe('');
    fireEvent.click(screen.getByTestId('token-clear'));
    fireEvent.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(screen.getByTestId('token-status').textContent).toBe('not set'));
    expect(setCalls()).toEqual([expect.objectContaining({ apiToken: null })]);

    fireEvent.change(screen.getByLabelText('API token'), { target: { value: 'n3w-token' } });
    fireEvent.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(screen.getByTestId('token-status').textContent).toBe('set'));
    expect(setCalls()[1]).toEqual(expect.objectContaining({ apiToken: 'n3w-token' }));
    expect((screen.getByLabelText('API token') as HTMLInputElement).value).toBe('');
  });

  it('refuses ws:// to another machine until the user allows unencrypted transport', async () => {
    render(<SettingsView />);
    fireEvent.click(screen.getByLabelText('Enable hybrid mode'));
    fireEvent.change(screen.getByLabelText('Coordination URL'), { target: { value: 'ws://nats.team.example:8080' } });
    fireEvent.click(screen.getByTestId('settings-save'));
    expect((await screen.findByTestId('error-coordinationUrl')).textContent).toMatch(/unencrypted.*wss:\/\/nats\.team\.example:8080/);
    expect(setCalls()).toEqual([]);

    fireEvent.click(screen.getByLabelText('Allow unencrypted ws:// to other machines'));
    fireEvent.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(screen.getByTestId('settings-status').textContent).toBe('Saved.'));
    expect(setCalls()).toEqual([expect.objectContaining({ config: expect.objectContaining({ allowInsecureTransport: true }) })]);
  });

  it('puts TokenNotForUrl on the token field: a new URL needs its own token', async () => {
    core.handle('config.set', () => {
      throw {
        name: 'TokenNotForUrl',
        message: 'invalid API token: apiToken: the saved API token is only sent to the saved coordination URL',
        issues: [{ path: 'apiToken', message: 'the saved API token is only sent to the saved coordination URL; enter the token for wss://other.example' }],
      };
    });
    render(<SettingsView />);
    fireEvent.change(screen.getByLabelText('Coordination URL'), { target: { value: 'wss://other.example' } });
    fireEvent.click(screen.getByTestId('settings-save'));
    expect((await screen.findByTestId('error-apiToken')).textContent).toMatch(/enter the token for wss:\/\/other\.example/);
    expect(screen.getByLabelText('API token').getAttribute('aria-invalid')).toBe('true');
  });

  it('says when SWITCHYARD_API_TOKEN overrides the token being saved', async () => {
    core.handle('config.set', (input) => ({
      ...CONFIG_VIEW,
      ...(input as { config: typeof CONFIG_VIEW }).config,
      apiTokenSet: true,
      apiTokenFromEnvironment: true,
    }));
    render(<SettingsView />);
    expect(screen.queryByTestId('token-env-override')).toBeNull();
    fireEvent.change(screen.getByLabelText('API token'), { target: { value: 'typed-token' } });
    fireEvent.click(screen.getByTestId('settings-save'));
    const notice = await screen.findByTestId('token-env-override');
    expect(notice.textContent).toMatch(/SWITCHYARD_API_TOKEN is set and overrides the saved token/);
    expect(screen.getByTestId('token-status').textContent).toBe('from environment');
    expect(screen.getByLabelText('API token').getAttribute('aria-describedby')).toContain(notice.id);
  });

  it('shows the connection state, server and last error', async () => {
    render(<SettingsView />);
    core.emit('connection.changed', { phase: 'auth-failed', server: 'wss://n.example:443', lastError: 'AUTHORIZATION_VIOLATION', since: 1 });
    // Events reach the store on the next animation frame; run it by hand.
    act(() => frames.frame());
    await waitFor(() => expect(screen.getByTestId('connection-phase').textContent).toBe('Auth failed'));
    expect(screen.getByTestId('connection-server').textContent).toBe('wss://n.example:443');
    expect(screen.getByTestId('connection-last-error').textContent).toBe('AUTHORIZATION_VIOLATION');
  });
});
