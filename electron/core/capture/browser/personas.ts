import fs from 'node:fs';
import path from 'node:path';
import { PERSONA_NAME_PATTERN, personaNameProblem } from '../../../../shared/schemas.js';
import { badInput, errorSaying } from '../../errors.js';

/** A persona: a persistent browser profile an investigator logs into once with an undercover account. */
export interface Persona {
  readonly name: string;
  readonly profileDir: string;
}

/** The folder of a store's personas; their profiles hold live login sessions, so only the owner may read it. */
export function personasRoot(storeRoot: string): string {
  return path.join(storeRoot, 'personas');
}

/** Checks a persona name: letters, digits, dot, dash and underscore, so it is safe as a folder name. */
export function checkPersonaName(name: string): string {
  if (!PERSONA_NAME_PATTERN.test(name)) throw badInput(personaNameProblem(name));
  return name;
}

/** The persona `name` of the store at `storeRoot`, which must exist (made by `custos persona open`). */
export function existingPersona(storeRoot: string, name: string): Persona {
  const persona = { name: checkPersonaName(name), profileDir: path.join(personasRoot(storeRoot), name) };
  if (!fs.existsSync(persona.profileDir)) {
    throw errorSaying(
      'bad-input',
      (next) => `there is no persona named ${name}; ${next.missingPersona(name)}`,
    );
  }
  return persona;
}

/** The persona `name`, its profile folder made if it is new. */
export function openOrCreatePersona(
  storeRoot: string,
  name: string,
): Persona & { readonly created: boolean } {
  const profileDir = path.join(personasRoot(storeRoot), checkPersonaName(name));
  const created = !fs.existsSync(profileDir);
  fs.mkdirSync(personasRoot(storeRoot), { recursive: true, mode: 0o700 });
  fs.mkdirSync(profileDir, { recursive: true, mode: 0o700 });
  return { name, profileDir, created };
}

/**
 * Makes a new persona's profile folder (0700). Refuses a name already taken, so that a form never
 * silently hands over an existing login.
 */
export function createPersona(storeRoot: string, name: string): Persona {
  const profileDir = path.join(personasRoot(storeRoot), checkPersonaName(name));
  fs.mkdirSync(personasRoot(storeRoot), { recursive: true, mode: 0o700 });
  try {
    fs.mkdirSync(profileDir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw badInput(`a persona named ${name} already exists; choose another name`);
    throw error;
  }
  return { name, profileDir };
}

/** The personas of a store, by name. */
export function listPersonas(storeRoot: string): Persona[] {
  let names: string[];
  try {
    names = fs.readdirSync(personasRoot(storeRoot));
  } catch {
    return [];
  }
  return names
    .filter(
      (name) =>
        PERSONA_NAME_PATTERN.test(name) &&
        fs.statSync(path.join(personasRoot(storeRoot), name)).isDirectory(),
    )
    .sort()
    .map((name) => ({ name, profileDir: path.join(personasRoot(storeRoot), name) }));
}
