import hashlib

from moodle_sync.files import content_hash

EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e"


def test_empty_file_hash():
    assert content_hash(b"") == EMPTY_MD5


def test_known_pdf_hash():
    # contenthash of tests/fixtures/syllabus.pdf as stored in mdl_files
    assert content_hash(open("tests/fixtures/syllabus.pdf", "rb").read()) == "af5aceec5ff7daf05ac81bfe3d6a8d199a505354"
    assert hashlib.md5(b"wsfunction").hexdigest() == "1f5e675658ff528dc98c6466ab612c61"
