export async function uploadDraft(file) {
  const form = new FormData();
  form.append('file_1', file);
  form.append('filearea', 'draft');
  const res = await fetch('http://moodle.example.org/webservice/upload.php?token=15187c6eaedf39abb4ec56fe9b6c982b', { method: 'POST', body: form });
  return (await res.json())[0].itemid;
}
