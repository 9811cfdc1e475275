import hashlib

from moodle_sync.files import content_hash

EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e"


def test_empty_file_hash():
    assert content_hash(b"") == EMPTY_MD5


def test_known_pdf_hash():
    # contenthash of tests/fixtures/syllabus.pdf as stored in mdl_files
    assert content_hash(open("tests/fixtures/syllabus.pdf", "rb").read()) == "fb8e2cf6efe047c9a2420896172219680bd86023"
    assert hashlib.md5(b"wsfunction").hexdigest() == "7f70105b7b82fcbe73b3b4e6fdd5f007"
