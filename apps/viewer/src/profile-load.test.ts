// Loading a standards profile file on the page: a good one joins the menu and the city is checked
// against it; one with problems lists them by field and changes nothing.
import { describe, expect, it } from 'vitest';
import { loadProfileFile } from './profile-load.js';
import { loadedCityPage } from './test-page.js';

const profileFile = (value: unknown, name = 'town.json') => new File([JSON.stringify(value)], name);

describe('loading a profile file', () => {
  it('checks the city against a profile that extends a built-in one, and keeps it for the next checks', async () => {
    const page = await loadedCityPage();
    await loadProfileFile(
      page,
      profileFile({
        id: 'my-town',
        extends: 'complete-community',
        requirements: [{ id: 'kindergarten', radius_m: 1500, radius_status: 'user' }],
      }),
    );
    expect(page.errors).toEqual([]);
    expect(page.view.notice).toBeNull();
    expect(page.view.profileId).toBe('my-town');
    expect(page.view.compliance?.profile.id).toBe('my-town');
    expect(page.profileFiles.get('my-town')?.file).toBe('town.json');
    const kindergarten = page.view.compliance?.requirements.find((r) => r.id === 'kindergarten');
    expect(kindergarten?.radii.map((r) => r.radius)).toEqual([1500]);
  });

  it('lists the problems of a bad profile by field and leaves the shown profile as it was', async () => {
    const page = await loadedCityPage();
    const before = page.view.compliance;
    await loadProfileFile(
      page,
      profileFile({ id: 'bad', extends: 'no-such-profile', requirements: [] }, 'bad.json'),
    );
    expect(page.view.notice?.kind).toBe('error');
    expect(page.view.notice?.message).toMatch(/^bad\.json: the profile has 1 problem\(s\):\n {2}extends: /);
    expect(page.view.compliance).toBe(before);
    expect(page.profileFiles.size).toBe(0);
  });

  it('names the line of a profile file that is not JSON', async () => {
    const page = await loadedCityPage();
    await loadProfileFile(page, new File(['{ "id": "x",\n  oops }'], 'broken.json'));
    expect(String(page.view.notice?.message ?? page.errors[0])).toMatch(/broken\.json.*line 2/);
  });
});
