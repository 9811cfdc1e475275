import { createClient } from './ws';

// Portal widget: upcoming deadlines from the campus Moodle.
export const lms = createClient('https://campus.example.org/moodle/', '8f6a799ffd78510089588868883f0bd5');

export async function deadlines(userid) {
  return lms.call('core_calendar_get_action_events_by_timesort', { userid });
}
