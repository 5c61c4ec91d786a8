import { useEffect, useMemo, useState } from "react";
import { communeFullName, matchesCommune, type CommuneType } from "~/domain/communes";
import { vi } from "~/i18n/vi";
import { FieldError } from "./form";

interface Props {
  communes: { code: string; name: string; type: CommuneType }[];
  defaultValue?: string;
  error?: string;
}

/**
 * A plain <select> that works without JavaScript; once scripts run, a search box above it narrows
 * the 135 units as the person types, with or without tone marks ("quy nhon" finds "Quy Nhơn").
 */
export function CommuneSelect({ communes, defaultValue, error }: Props) {
  const [enhanced, setEnhanced] = useState(false);
  const [query, setQuery] = useState("");
  const [value, setValue] = useState(defaultValue ?? "");
  useEffect(() => setEnhanced(true), []);
  const visible = useMemo(
    () => communes.filter((c) => c.code === value || matchesCommune(c, query)),
    [communes, query, value],
  );
  const onQuery = (q: string) => {
    setQuery(q);
    const matches = communes.filter((c) => matchesCommune(c, q));
    if (matches.length === 1) setValue(matches[0].code);
  };
  return (
    <div>
      <label htmlFor="communeCode" className="field-label">
        {vi.register.commune}
      </label>
      {enhanced ? (
        <input
          type="search"
          aria-label={vi.register.communeFilter}
          placeholder={vi.register.communeFilter}
          className="field-input mb-2"
          value={query}
          onChange={(e) => onQuery(e.target.value)}
          data-testid="commune-filter"
        />
      ) : null}
      <select
        id="communeCode"
        name="communeCode"
        className="field-input"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "communeCode-error" : undefined}
        required
      >
        <option value="">{vi.register.communePlaceholder}</option>
        {visible.map((c) => (
          <option key={c.code} value={c.code}>
            {communeFullName(c)}
          </option>
        ))}
      </select>
      <FieldError id="communeCode-error" error={error} />
    </div>
  );
}
