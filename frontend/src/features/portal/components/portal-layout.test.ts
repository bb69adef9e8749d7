import { describe, expect, it } from 'vitest';
import { portalTitle } from './portal-layout';

describe('the portal title', () => {
  it('adds "Support" to a name unless the name ends with it already', () => {
    expect(portalTitle('Acme')).toEqual({ name: 'Acme', suffix: 'Support' });
    expect(portalTitle('Demo Support')).toEqual({ name: 'Demo Support', suffix: null });
    expect(portalTitle(' northwind support ')).toEqual({ name: 'northwind support', suffix: null });
    expect(portalTitle('Supportive Co')).toEqual({ name: 'Supportive Co', suffix: 'Support' });
    expect(portalTitle('HelpSupport')).toEqual({ name: 'HelpSupport', suffix: 'Support' });
  });
});
