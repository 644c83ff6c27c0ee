/**
 * The words burned into the composite's picture (role after each name, the
 * placeholders of a person not yet joined or disconnected), in the archive's
 * language. The composite is made on the server, so the client's translation
 * files do not reach it; the role names follow theirs.
 */
import type { Role } from '../server/review/review-types.ts';

/** Languages a composite can be labelled in. */
export const RECORDING_LANGUAGES = ['kk', 'ru', 'en'] as const;
export type RecordingLanguage = (typeof RECORDING_LANGUAGES)[number];

/** The words of one language. */
export interface CompositeWords {
  role: Record<Role, string>;
  /** Shown on a person's tile before their first media. */
  notYetJoined: string;
  /** Shown on the attestee's tile while their media is missing after they joined. */
  attesteeDisconnected: string;
}

export const COMPOSITE_WORDS: Record<RecordingLanguage, CompositeWords> = {
  kk: {
    role: {
      attestee: 'аттестатталушы',
      chair: 'комиссия төрағасы',
      expert: 'комиссия сарапшысы',
      'room-device': 'аудиториядағы құрылғы',
    },
    notYetJoined: 'Әлі қосылған жоқ',
    attesteeDisconnected: 'Аттестатталушымен байланыс үзілді',
  },
  ru: {
    role: {
      attestee: 'аттестуемый',
      chair: 'председатель комиссии',
      expert: 'эксперт комиссии',
      'room-device': 'устройство в аудитории',
    },
    notYetJoined: 'Ожидает подключения',
    attesteeDisconnected: 'Связь с аттестуемым потеряна',
  },
  en: {
    role: {
      attestee: 'attestee',
      chair: 'chair',
      expert: 'expert',
      'room-device': 'room',
    },
    notYetJoined: 'Not yet joined',
    attesteeDisconnected: 'Attestee disconnected',
  },
};
