export async function uploadDraft(file) {
  const form = new FormData();
  form.append('file_1', file);
  form.append('filearea', 'draft');
  const res = await fetch('http://moodle.example.org/webservice/upload.php?token=a48faca972ee542f36448cc58d40d215', { method: 'POST', body: form });
  return (await res.json())[0].itemid;
}
