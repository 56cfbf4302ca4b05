/** An entity class as TypeORM takes it. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityClass = Function;

const registered = new Set<EntityClass>();

/**
 * The entities every feature module declared with `DatabaseModule.forFeature([...])`: each module
 * registers its own, so src/database imports no feature (issue 14 item 1). Modules register when
 * their file is loaded (decorators run at class definition), before the DataSource is built at
 * bootstrap — the way @nestjs/typeorm's `forFeature` feeds `autoLoadEntities`.
 */
export function registerEntities(entities: EntityClass[]): void {
  for (const entity of entities) registered.add(entity);
}

export function registeredEntities(): EntityClass[] {
  return [...registered];
}
