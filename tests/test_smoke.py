from django.core import mail

from tests.conftest import run_tasks


def test_a_filed_request_gets_a_reference_and_a_receipt(filed):
    assert filed.reference.startswith("G2ID-")
    run_tasks()
    assert any(filed.tracking_url in m.body for m in mail.outbox)
