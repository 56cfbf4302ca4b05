import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant, newId } from '../database/columns';
import type { MappingKind } from './dhis2-codes';

/** One of our things (a place, an indicator, a disaggregation) and the DHIS2 uid it is sent as. */
@Entity('dhis2_mappings')
export class Dhis2Mapping {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Column({ type: 'varchar', length: 30 })
  kind: MappingKind;

  /** Country code, municipality id, school id, indicator, disaggregation, or 'default'. */
  @Column({ type: 'varchar', length: 80 })
  localKey: string;

  @Column({ type: 'varchar', length: 11 })
  uid: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  updatedBy: string | null;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  updatedAt: Date;
}
