import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/errors';
import { Form, SubmitButton } from './Form';
import { SelectField, TextField } from './fields';
import type { FormValues } from './FormValues';

function renderForm(onSubmit: (values: FormValues) => Promise<unknown>) {
  render(
    <Form aria-label="Sign up" errorTitle="Could not create your account." onSubmit={onSubmit}>
      <TextField name="name" label="Your name" />
      <TextField name="email" type="email" label="E-mail address" />
      <TextField name="password" type="password" label="Password" minLength={8} hint="At least 8 characters." />
      <SelectField
        name="scope"
        label="Scope"
        options={[
          { value: 'read', label: 'Read' },
          { value: 'write', label: 'Write' },
        ]}
      />
      <SubmitButton pendingLabel="Creating…">Create account</SubmitButton>
    </Form>,
  );
  return userEvent.setup();
}

describe('Form', () => {
  it('shows the API field errors next to their inputs and focuses the first', async () => {
    const onSubmit = vi.fn(() =>
      Promise.reject(
        new ApiError({
          status: 422,
          code: 'validation_failed',
          message: 'The request failed validation.',
          errors: ['email: is already in use', 'password: is too common'],
          fields: { email: 'is already in use', password: 'is too common' },
        }),
      ),
    );
    const user = renderForm(onSubmit);
    await user.type(screen.getByLabelText('Your name'), 'Ada');
    await user.type(screen.getByLabelText('E-mail address'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'password123');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    const email = screen.getByLabelText('E-mail address');
    expect(await screen.findByText('is already in use')).toBeInTheDocument();
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription('is already in use');
    expect(email).toHaveFocus();
    const password = screen.getByLabelText('Password');
    expect(password).toHaveAccessibleDescription('is too common');
    expect(screen.getByLabelText('Your name')).not.toHaveAttribute('aria-invalid');

    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Could not create your account.');
    expect(alert).toHaveTextContent('Check the highlighted fields.');

    // Editing a field clears its error.
    await user.type(email, 'x');
    expect(email).not.toHaveAttribute('aria-invalid');
    expect(password).toHaveAttribute('aria-invalid', 'true');
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });

  it('lists field errors that no input shows, and other errors, in the notice', async () => {
    const user = renderForm(() =>
      Promise.reject(
        new ApiError({
          status: 422,
          code: 'validation_failed',
          message: 'The request failed validation.',
          fields: { invitationToken: 'has expired', name: 'must not be blank' },
        }),
      ),
    );
    await user.type(screen.getByLabelText('Your name'), ' ');
    await user.type(screen.getByLabelText('E-mail address'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'password123');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The request failed validation.');
    expect(within(alert).getByRole('listitem')).toHaveTextContent('invitationToken: has expired');
    expect(screen.getByLabelText('Your name')).toHaveAccessibleDescription('must not be blank');
  });

  it('checks required fields, e-mail syntax and lengths in the browser first, inline', async () => {
    const onSubmit = vi.fn(() => Promise.resolve());
    const user = renderForm(onSubmit);
    await user.type(screen.getByLabelText('E-mail address'), 'not-an-address');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Your name')).toHaveAccessibleDescription('This field is required.');
    expect(screen.getByLabelText('Your name')).toHaveFocus();
    expect(screen.getByLabelText('E-mail address')).toHaveAccessibleDescription(
      'Enter an e-mail address, like name@example.com.',
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('keeps the submit button pending until the request settles, and submits once', async () => {
    let resolve: () => void = () => undefined;
    const onSubmit = vi.fn<(values: FormValues) => Promise<void>>(
      () =>
        new Promise<void>((r) => {
          resolve = r;
        }),
    );
    const user = renderForm(onSubmit);
    await user.type(screen.getByLabelText('Your name'), 'Ada');
    await user.type(screen.getByLabelText('E-mail address'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'password123');
    await user.selectOptions(screen.getByLabelText('Scope'), 'write');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    const pending = screen.getByRole('button', { name: 'Creating…' });
    expect(pending).toBeDisabled();
    await user.keyboard('{Enter}');
    expect(onSubmit).toHaveBeenCalledTimes(1);
    const values = onSubmit.mock.calls[0]?.[0];
    expect(values?.trimmed('email')).toBe('ada@example.com');
    expect(values?.string('scope')).toBe('write');

    resolve();
    expect(await screen.findByRole('button', { name: 'Create account' })).toBeEnabled();
  });

  it('blocks the form and counts down after a 429', async () => {
    const user = renderForm(() =>
      Promise.reject(
        new ApiError({ status: 429, code: 'rate_limited', message: 'Too many attempts.', retryAfter: 42 }),
      ),
    );
    await user.type(screen.getByLabelText('Your name'), 'Ada');
    await user.type(screen.getByLabelText('E-mail address'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'password123');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Too many attempts.');
    expect(alert).toHaveTextContent('try again in 42 seconds');
    expect(alert).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Create account' })).toBeDisabled();
  });
});
