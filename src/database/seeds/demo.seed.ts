import type { User } from '../../users/user.entity';
import type { UsersService } from '../../users/users.service';
import type { Database } from '../database.service';

/** Published in the README: for demos and local development only (SEED_DEMO is refused in production). */
export const DEMO_PASSWORD = 'cascada-demo';

export const DEMO_ACCOUNTS: Array<Pick<User, 'email' | 'name' | 'role'> & Partial<User>> = [
  { email: 'admin@demo.cascada.local', name: 'Alba Admin', role: 'admin', language: 'es', sex: 'female' },
  { email: 'manager@demo.cascada.local', name: 'Marcos Gestor', role: 'manager', language: 'es', sex: 'male' },
  { email: 'manager.sv@demo.cascada.local', name: 'Sofía Valle', role: 'manager', language: 'es', sex: 'female', countryCode: 'SV' },
  { email: 'trainer@demo.cascada.local', name: 'Teresa Formadora', role: 'trainer', language: 'es', sex: 'female', countryCode: 'DO', organisation: 'Ministerio de Educación' },
  { email: 'trainer.en@demo.cascada.local', name: 'Trevor Bennett', role: 'trainer', language: 'en', sex: 'male', countryCode: 'BZ', organisation: 'Belize Police Department' },
  { email: 'coordinator@demo.cascada.local', name: 'Carmen Coordinadora', role: 'coordinator', language: 'es', sex: 'female', countryCode: 'DO' },
];

export async function seedDemo(db: Database, users: UsersService): Promise<void> {
  await db.transaction(async (tx) => {
    for (const account of DEMO_ACCOUNTS) {
      await users.createSystemUser(tx, account, DEMO_PASSWORD);
    }
  });
}
