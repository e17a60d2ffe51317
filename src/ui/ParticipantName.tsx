import { useState } from 'preact/hooks';

/** A participant's name with an inline rename form. */
export function ParticipantName({
  name,
  onRename,
}: {
  name: string;
  onRename: (name: string) => Promise<void>;
}) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(name);
  const [error, setError] = useState<string | undefined>();
  if (!editing)
    return (
      <span class="pname">
        {name}{' '}
        <button
          type="button"
          class="link"
          aria-label={`Rename ${name}`}
          data-testid="rename"
          onClick={() => {
            setValue(name);
            setEditing(true);
          }}
        >
          rename
        </button>
      </span>
    );
  return (
    <form
      class="rename"
      onSubmit={(e) => {
        e.preventDefault();
        onRename(value)
          .then(() => {
            setEditing(false);
            setError(undefined);
          })
          .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
      }}
    >
      <label>
        <span class="visually-hidden">New name for {name}</span>
        <input
          value={value}
          maxLength={80}
          onInput={(e) => setValue(e.currentTarget.value)}
          data-testid="rename-input"
        />
      </label>
      <button type="submit">Save</button>
      <button type="button" onClick={() => setEditing(false)}>
        Cancel
      </button>
      {error && (
        <span role="alert" class="error">
          {error}
        </span>
      )}
    </form>
  );
}
