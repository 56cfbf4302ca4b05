// Every migration, in order. Listed by hand (no glob) so the same list works from ts (tests) and dist.
import { CreateAccounts1764130000000 } from './1764130000000-CreateAccounts';
import { CreateOutbox1764130100000 } from './1764130100000-CreateOutbox';
import { CreateCourses1764130200000 } from './1764130200000-CreateCourses';
import { CreateCohortsAndCertifications1764130300000 } from './1764130300000-CreateCohortsAndCertifications';
import { CreateSchoolsAndCascadeSessions1764130400000 } from './1764130400000-CreateSchoolsAndCascadeSessions';
import { AddPlaceToCascadeSessions1764130500000 } from './1764130500000-AddPlaceToCascadeSessions';
import { CreateCascadeReachRollups1764130600000 } from './1764130600000-CreateCascadeReachRollups';
import { AddDrawToQuizzes1764130700000 } from './1764130700000-AddDrawToQuizzes';
import { CreateQuizSittings1764130700001 } from './1764130700001-CreateQuizSittings';
import { AddSittingToQuizAttempts1764130700002 } from './1764130700002-AddSittingToQuizAttempts';
import { CreateCountryFacts1764130800000 } from './1764130800000-CreateCountryFacts';
import { CreateHandouts1764130800001 } from './1764130800001-CreateHandouts';
import { AddCourseToReferralContacts1764130800002 } from './1764130800002-AddCourseToReferralContacts';
import { AddStatusListIndexToCertifications1764130900000 } from './1764130900000-AddStatusListIndexToCertifications';
import { CreateDhis2Mappings1764131000000 } from './1764131000000-CreateDhis2Mappings';
import { AddLineageIndexes1764131100000 } from './1764131100000-AddLineageIndexes';
import { AddAnonymisedAtToUsers1764131200000 } from './1764131200000-AddAnonymisedAtToUsers';
import { CreateCascadeMonthReach1764131300000 } from './1764131300000-CreateCascadeMonthReach';

export const migrations = [
  CreateAccounts1764130000000,
  CreateOutbox1764130100000,
  CreateCourses1764130200000,
  CreateCohortsAndCertifications1764130300000,
  CreateSchoolsAndCascadeSessions1764130400000,
  AddPlaceToCascadeSessions1764130500000,
  CreateCascadeReachRollups1764130600000,
  AddDrawToQuizzes1764130700000,
  CreateQuizSittings1764130700001,
  AddSittingToQuizAttempts1764130700002,
  CreateCountryFacts1764130800000,
  CreateHandouts1764130800001,
  AddCourseToReferralContacts1764130800002,
  AddStatusListIndexToCertifications1764130900000,
  CreateDhis2Mappings1764131000000,
  AddLineageIndexes1764131100000,
  AddAnonymisedAtToUsers1764131200000,
  CreateCascadeMonthReach1764131300000,
];
