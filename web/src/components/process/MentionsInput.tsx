import { useRef, useState } from 'react';
import { Mentions } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PersonRef } from '@contract';
import { localized } from '../../lib/language';
import { usePeopleSearch } from '../form/queries';

interface Props {
  id?: string;
  value?: string;
  onChange?: (value: string) => void;
  /** A person picked after "@": the dialog adds them to the mentioned people. */
  onMention: (person: PersonRef) => void;
  'aria-required'?: boolean;
}

/** Comment text where "@" offers people by name (GET /api/v1/people); picked people are mentioned. */
export function MentionsInput({ id, value, onChange, onMention }: Props) {
  const { i18n } = useTranslation('process');
  const [query, setQuery] = useState('');
  const people = usePeopleSearch(query);
  const found = (people.data?.items ?? []).filter((p) => p.active);
  // Options by the text they insert: the select callback gets the option's value (React keeps `key`
  // to itself), and the list may have moved on to another search by the time it fires.
  const offered = useRef(new Map<string, PersonRef>());
  const insertText = (person: PersonRef) => localized(person.name, i18n.language).replace(/\s+/g, '');
  for (const person of found) offered.current.set(insertText(person), person);
  return (
    <Mentions
      id={id}
      rows={4}
      value={value}
      onChange={onChange}
      onSearch={(text) => {
        setQuery(text);
      }}
      onSelect={(option) => {
        const person = option.value !== undefined ? offered.current.get(option.value) : undefined;
        if (person) onMention(person);
      }}
      loading={people.isFetching}
      options={found.map((p) => ({
        key: p.user_id,
        // Inserted after "@": the name without spaces, so the mention reads as one word.
        value: insertText(p),
        label: localized(p.name, i18n.language),
      }))}
      maxLength={5000}
    />
  );
}
