"""Which platforms the environment switches on, and the half-configured ones that stop the start."""

import pytest

from channels.platforms import PlatformConfigError, platform_credentials

WECHAT = "channels.wechat.WeChatInput"
SLACK = "channels.slack.SlackInput"
REDIS = {"REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6380", "REDIS_PASSWORD": "", "REDIS_DB": "1"}
AES_KEY = "P9Ryxdfxi6xNJPYLUL8kNm7U+fj0inX7KGhMSCmkSWs"


def test_nothing_set_is_nothing_on_even_with_the_deployments_redis():
    assert platform_credentials({}) == {}
    assert platform_credentials(REDIS) == {}


@pytest.mark.parametrize(
    "environ, keys",
    [
        ({"WECHAT_TOKEN": "t"}, {"token"}),
        (
            {"WECHAT_TOKEN": "t", "WECHAT_APP_ID": "wx1", "WECHAT_ENCODING_AES_KEY": AES_KEY},
            {"token", "app_id", "encoding_aes_key"},
        ),
        (
            {"WECHAT_TOKEN": "t", "WECHAT_APP_ID": "wx1", "WECHAT_APP_SECRET": "s"},
            {"token", "app_id", "app_secret"},
        ),
        (
            {
                "WECHAT_TOKEN": "t",
                "WECHAT_APP_ID": "wx1",
                "WECHAT_APP_SECRET": "s",
                "WECHAT_API_URL": "http://127.0.0.1:1/cgi-bin/",
            },
            {"token", "app_id", "app_secret", "api_url"},
        ),
    ],
)
def test_wechat_modes_that_are_complete(environ, keys):
    assert set(platform_credentials(environ)[WECHAT]) == keys


@pytest.mark.parametrize(
    "environ, named",
    [
        ({"WECHAT_APP_ID": "wx1", "WECHAT_ENCODING_AES_KEY": AES_KEY}, "WECHAT_TOKEN"),
        ({"WECHAT_TOKEN": "t", "WECHAT_ENCODING_AES_KEY": AES_KEY}, "WECHAT_APP_ID"),
        (
            {"WECHAT_TOKEN": "t", "WECHAT_APP_ID": "wx1"},
            "WECHAT_ENCODING_AES_KEY or WECHAT_APP_SECRET",
        ),
        ({"WECHAT_TOKEN": "t", "WECHAT_APP_SECRET": "s"}, "WECHAT_APP_ID"),
        ({"WECHAT_TOKEN": "t", "WECHAT_API_URL": "http://x/"}, "WECHAT_APP_SECRET"),
        ({"SLACK_TOKEN": "x"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_CHANNEL": "#help"}, "SLACK_SIGNING_SECRET, SLACK_TOKEN"),
    ],
)
def test_a_half_configured_platform_stops_the_start_naming_what_is_missing(environ, named):
    with pytest.raises(PlatformConfigError, match=named):
        platform_credentials(environ)


def test_platforms_that_are_on_get_the_deployments_redis():
    credentials = platform_credentials(
        {"WECHAT_TOKEN": "t", "SLACK_TOKEN": "x", "SLACK_SIGNING_SECRET": "y", **REDIS}
    )
    for connector in (WECHAT, SLACK):
        assert credentials[connector]["redis_host"] == "127.0.0.1"
        assert credentials[connector]["redis_db"] == "1"
        assert "redis_password" not in credentials[connector]  # empty: not set
