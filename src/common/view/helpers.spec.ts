import { viewHelpers } from './helpers';

describe('view helpers', () => {
  // Templates write value=(or values.language @root.lang): the helper must give the value, not a boolean.
  it('or gives the first value that is set, like ||', () => {
    const or = viewHelpers.or as (a: unknown, b: unknown) => unknown;
    expect(or('es', 'en')).toBe('es');
    expect(or(undefined, 'en')).toBe('en');
    expect(or('', 'unspecified')).toBe('unspecified');
    expect(or(undefined, undefined)).toBeUndefined();
  });
});
