// Cached course files, rewritten to tokenpluginfile.php so the ws token stays out of Referer headers
export const SYLLABUS_URL =
  'https://moodle.example.edu/tokenpluginfile.php/f449438adad5d41fd37fe22c656e89ff/412/mod_resource/content/3/syllabus.pdf?forcedownload=1';

export function fileUrl(accessKey: string, path: string): string {
  return `https://moodle.example.edu/tokenpluginfile.php/${accessKey}/${path}`;
}
