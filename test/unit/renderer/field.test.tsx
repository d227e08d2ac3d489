// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckboxField, TextField, TypeListField } from '../../../src/renderer/src/settings/form-fields.js';

afterEach(cleanup);

const noop = (): void => {};
const describedText = (input: HTMLElement): string[] =>
  (input.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? `missing #${id}`);

describe('the Settings field frame', () => {
  it('names the input by its label and describes it by its hint, then its error', () => {
    render(<TextField field="repo" label="Repository" hint="Where its agents live." value="Bad Repo!" error="Use lowercase letters." onChange={noop} />);
    const input = screen.getByLabelText('Repository');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(describedText(input)).toEqual(['Where its agents live.', 'Use lowercase letters.']);
    expect(screen.getByRole('alert').textContent).toBe('Use lowercase letters.');
  });

  it('describes a valid input by its hint only, and an input without a hint by nothing', () => {
    render(<TextField field="repo" label="Repository" hint="Where its agents live." value="web" error={undefined} onChange={noop} />);
    render(<TextField field="coordinationUrl" label="Coordination URL" value="" error={undefined} onChange={noop} />);
    expect(screen.getByLabelText('Repository').getAttribute('aria-invalid')).toBeNull();
    expect(describedText(screen.getByLabelText('Repository'))).toEqual(['Where its agents live.']);
    expect(screen.getByLabelText('Coordination URL').hasAttribute('aria-describedby')).toBe(false);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('describes a type list by the types it understood', () => {
    render(<TypeListField field="remoteAgentTypes" label="Remote agent types" placeholder="" value="review,  worker" error={undefined} onChange={noop} />);
    const input = screen.getByLabelText('Remote agent types');
    expect(describedText(input)).toEqual(['reviewworker']);
    expect(screen.getByLabelText('Remote agent types: review, worker')).toBeTruthy();
  });

  it('puts a checkbox before its label, described by its hint and error', () => {
    render(<CheckboxField field="enabled" label="Enable hybrid mode" hint="Team agents run remotely." checked={false} error="Needs a URL." onChange={noop} />);
    const box = screen.getByLabelText('Enable hybrid mode');
    expect(box.getAttribute('type')).toBe('checkbox');
    expect(box.nextElementSibling?.tagName).toBe('LABEL');
    expect(describedText(box)).toEqual(['Team agents run remotely.', 'Needs a URL.']);
  });
});
