import pytest

from resources.url_normalisation import normalise_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Gov.UK/guidance/x", "https://www.gov.uk/guidance/x"),
        ("http://www.gov.uk/guidance/x", "https://www.gov.uk/guidance/x"),
        ("https://www.gov.uk/guidance/x/", "https://www.gov.uk/guidance/x"),
        ("https://www.gov.uk/", "https://www.gov.uk"),
        ("https://www.gov.uk:443/x", "https://www.gov.uk/x"),
        ("https://www.gov.uk:8443/x", "https://www.gov.uk:8443/x"),
        ("https://www.gov.uk/x#section", "https://www.gov.uk/x"),
        (
            "https://a.org/x?utm_source=news&utm_medium=email&id=3",
            "https://a.org/x?id=3",
        ),
        ("https://a.org/x?gclid=CjwKCAjwi8&fbclid=1", "https://a.org/x"),
        ("https://a.org/Case/Sensitive?Q=1", "https://a.org/Case/Sensitive?Q=1"),
        ("  https://a.org/x  ", "https://a.org/x"),
        ("", ""),
        ("not a url", ""),
        ("https://[broken/x", ""),
    ],
)
def test_normalise_url(url, expected):
    assert normalise_url(url) == expected
