import axios from 'axios';

export class MoodleService {
  private readonly baseUrl = 'https://moodle.example.com';
  private readonly wsToken: string = '2d0781da71c70de5e1d595294868c4c7';

  async courseByShortname(shortname: string): Promise<number> {
    const params = new URLSearchParams();
    params.append('wstoken', this.wsToken);
    params.append('moodlewsrestformat', 'json');
    params.append('wsfunction', 'core_course_get_courses_by_field');
    params.append('field', 'shortname');
    params.append('value', shortname);
    const resp = await axios.post(`${this.baseUrl}/webservice/rest/server.php`, params);
    return resp.data.courses[0].id;
  }
}
