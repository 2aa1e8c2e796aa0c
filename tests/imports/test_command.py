import pytest
from django.core.management import CommandError, call_command

from contacts.models import Contact, Membership
from imports.models import ImportJob, ImportStatus
from tests.factories import ContactFactory, GroupFactory

# The command runs the job in a thread of its own: the rows must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_command_imports_a_large_file_with_a_summary(admin_user, tmp_path, settings, capsys):
    settings.IMPORT_MAX_BYTES = 10  # the upload limit does not apply to the command
    group = GroupFactory(name="Fair 2026")
    ContactFactory(email="a@example.com", first_name="Old")
    path = tmp_path / "big.csv"
    path.write_text("Email;Vorname\na@example.com;Neu\nb@example.com;Bea\nkaputt;X\n")
    rejected = tmp_path / "rejected.csv"
    call_command(
        "import_contacts",
        str(path),
        "--match=email",
        "--group=fair 2026",
        "--user",
        admin_user.username,
        "--rejected-file",
        str(rejected),
    )
    out = capsys.readouterr()
    assert "Created: 1" in out.out and "Updated: 1" in out.out and "Rejected: 1" in out.out
    assert "3/3 rows" in out.err
    assert Contact.objects.get(email="a@example.com").first_name == "Neu"
    assert Membership.objects.filter(group=group).count() == 2
    assert "kaputt" in rejected.read_text(encoding="utf-8-sig")


def test_the_command_validates_without_writing(admin_user, tmp_path, capsys):
    path = tmp_path / "f.csv"
    path.write_text("Email\na@example.com\n")
    call_command("import_contacts", str(path), "--dry-run", "--user", admin_user.username)
    assert "Created: 1" in capsys.readouterr().out
    assert not Contact.objects.exists()


def test_the_command_says_what_is_wrong(admin_user, marketer, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("First name\nAnn\n")
    with pytest.raises(CommandError, match="Email"):
        call_command("import_contacts", str(path), "--user", admin_user.username)
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_contacts", str(tmp_path / "none.csv"), "--user", admin_user.username)
    with pytest.raises(CommandError, match="group"):
        call_command("import_contacts", str(path), "--group=Nope", "--user", admin_user.username)


def test_the_command_stops_at_a_misspelt_product_name(admin_user, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("user.Email,user.FirstNme\na@example.com,Ann\n")
    with pytest.raises(CommandError, match=r"not recognised: 'user.FirstNme'"):
        call_command("import_contacts", str(path), "--user", admin_user.username)
    assert not Contact.objects.exists()
    assert ImportJob.objects.get().status == ImportStatus.CANCELLED
