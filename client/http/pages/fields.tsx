import type { Child } from 'hono/jsx';

// Form controls in the GOV.UK shape: a label (or a legend for a group), an optional hint, the
// field's own error message right above it, and the control described by both, so a screen
// reader reads the message with the field and the summary's link lands on the control itself.

export interface FieldProps {
  id: string;
  name: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  required?: boolean;
  /** Filters are all optional: saying so on each would be noise. */
  noOptionalMark?: boolean;
}

function describedBy(p: FieldProps): string | undefined {
  const ids = [p.hint ? `${p.id}-hint` : null, p.error ? `${p.id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Hint(p: { id: string; hint?: string | undefined }) {
  return p.hint ? (
    <div class="hint" id={`${p.id}-hint`}>
      {p.hint}
    </div>
  ) : null;
}

function ErrorMessage(p: { id: string; error?: string | undefined }) {
  return p.error ? (
    <p class="error-message" id={`${p.id}-error`}>
      <span class="visually-hidden">错误：</span>
      {p.error}
    </p>
  ) : null;
}

function Group(p: { error?: string | undefined; children: Child }) {
  return <div class={p.error ? 'form-group form-group-error' : 'form-group'}>{p.children}</div>;
}

export function TextInput(
  p: FieldProps & {
    value?: string | undefined;
    type?: string;
    autocomplete?: string;
    inputmode?: 'numeric' | 'email' | 'tel' | 'text';
    width?: 'short' | 'full';
    maxLength?: number | null;
  },
) {
  return (
    <Group error={p.error}>
      <label class="label" for={p.id}>
        {p.label}
        {p.required || p.noOptionalMark ? null : <span class="optional">（选填）</span>}
      </label>
      <Hint id={p.id} hint={p.hint} />
      <ErrorMessage id={p.id} error={p.error} />
      <input
        class={`input${p.error ? ' input-error' : ''}${p.width === 'short' ? ' input-short' : ''}`}
        id={p.id}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.value ?? ''}
        autocomplete={p.autocomplete}
        inputmode={p.inputmode}
        maxlength={p.maxLength ?? undefined}
        aria-describedby={describedBy(p)}
        aria-invalid={p.error ? 'true' : undefined}
      />
    </Group>
  );
}

export function TextArea(p: FieldProps & { value?: string | undefined; rows?: number; maxLength?: number | null }) {
  return (
    <Group error={p.error}>
      <label class="label" for={p.id}>
        {p.label}
        {p.required || p.noOptionalMark ? null : <span class="optional">（选填）</span>}
      </label>
      <Hint id={p.id} hint={p.hint} />
      <ErrorMessage id={p.id} error={p.error} />
      <textarea
        class={`textarea${p.error ? ' input-error' : ''}`}
        id={p.id}
        name={p.name}
        rows={p.rows ?? 5}
        maxlength={p.maxLength ?? undefined}
        aria-describedby={describedBy(p)}
        aria-invalid={p.error ? 'true' : undefined}
      >
        {p.value ?? ''}
      </textarea>
    </Group>
  );
}

export interface Choice {
  value: string;
  label: string;
  hint?: string;
}

/** Radios (few choices) or checkboxes (several may be picked) in a fieldset with a legend. */
export function Choices(p: FieldProps & { choices: Choice[]; selected: string[]; multiple?: boolean; inline?: boolean }) {
  return (
    <Group error={p.error}>
      <fieldset class="fieldset" aria-describedby={describedBy(p)}>
        <legend class="legend">
          {p.label}
          {p.required || p.noOptionalMark ? null : <span class="optional">（选填）</span>}
        </legend>
        <Hint id={p.id} hint={p.hint} />
        <ErrorMessage id={p.id} error={p.error} />
        <div class={p.inline ? 'choices choices-inline' : 'choices'}>
          {p.choices.map((choice, i) => {
            // The first control carries the field's id, so the error summary's link lands on it.
            const id = i === 0 ? p.id : `${p.id}-${i + 1}`;
            return (
              <div class="choice">
                <input
                  class="choice-input"
                  id={id}
                  name={p.name}
                  type={p.multiple ? 'checkbox' : 'radio'}
                  value={choice.value}
                  checked={p.selected.includes(choice.value)}
                  aria-describedby={choice.hint ? `${id}-item-hint` : undefined}
                />
                <label class="choice-label" for={id}>
                  {choice.label}
                </label>
                {choice.hint ? (
                  <div class="hint choice-hint" id={`${id}-item-hint`}>
                    {choice.hint}
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </Group>
  );
}

export function Select(p: FieldProps & { choices: Choice[]; selected: string | undefined; placeholder?: string }) {
  return (
    <Group error={p.error}>
      <label class="label" for={p.id}>
        {p.label}
        {p.required || p.noOptionalMark ? null : <span class="optional">（选填）</span>}
      </label>
      <Hint id={p.id} hint={p.hint} />
      <ErrorMessage id={p.id} error={p.error} />
      <select class={`select${p.error ? ' input-error' : ''}`} id={p.id} name={p.name} aria-describedby={describedBy(p)} aria-invalid={p.error ? 'true' : undefined}>
        <option value="">{p.placeholder ?? '请选择'}</option>
        {p.choices.map((choice) => (
          <option value={choice.value} selected={p.selected === choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </Group>
  );
}

export function Button(p: { children: Child; kind?: 'primary' | 'secondary' | 'warning'; name?: string; value?: string }) {
  return (
    <button type="submit" class={`button button-${p.kind ?? 'primary'}`} name={p.name} value={p.value} data-prevent-double-click="">
      {p.children}
    </button>
  );
}
