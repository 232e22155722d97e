// What a person typed in a form, kept in sessionStorage until it is sent: an expired session, a reload or a trip
// through the login page does not lose it (the form shows it again when it opens).
import type { FormInstance } from 'antd';
import { useEffect } from 'react';

const KEY = (name: string) => `lifeline.draft.${name}`;

export function useFormDraft<T extends object>(form: FormInstance<T>, name: string) {
  useEffect(() => {
    try {
      const raw = sessionStorage.getItem(KEY(name));
      if (raw) form.setFieldsValue(JSON.parse(raw) as Parameters<FormInstance<T>['setFieldsValue']>[0]);
    } catch {
      /* a draft that cannot be read is dropped */
    }
  }, [form, name]);
  return {
    /** Form `onValuesChange`: keeps everything the form holds now. */
    keep: (_changed: unknown, all: T) => {
      try {
        sessionStorage.setItem(KEY(name), JSON.stringify(all));
      } catch {
        /* storage full or private mode: the form still holds it */
      }
    },
    /** The draft was sent (or reset on purpose). */
    drop: () => {
      try {
        sessionStorage.removeItem(KEY(name));
      } catch {
        /* nothing kept */
      }
    },
  };
}
