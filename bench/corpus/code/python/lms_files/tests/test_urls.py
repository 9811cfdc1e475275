from lms_files.client import LmsClient


def test_file_url_carries_the_access_key():
    key = "ec6dba6edf34714d1771298b93ebb074"
    url = LmsClient.fix_file_url(
        "https://courses.example.edu/webservice/pluginfile.php/88/mod_page/content/3/notes.pdf", key
    )
    assert url == "https://courses.example.edu/tokenpluginfile.php/ec6dba6edf34714d1771298b93ebb074/88/mod_page/content/3/notes.pdf"
