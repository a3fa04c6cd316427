"""knowledge/other_cards.py: a lost, broken or locked card that is another card."""

import pytest

from knowledge.other_cards import load_other_cards

OTHER_CARDS = load_other_cards()


@pytest.mark.parametrize(
    "text, intent",
    [
        ("银行卡丢了怎么办", "report_lost_card"),
        ("銀行卡不見了", "report_lost_card"),
        ("my bank card is lost", "report_lost_card"),
        ("i lost my ID card", "report_lost_card"),
        ("身份证掉了", "report_lost_card"),
        ("信用卡密码忘了怎么办", "ask_card_password"),
        ("my credit card PIN is locked", "ask_card_password"),
        ("招商银行储蓄卡密码忘了", "ask_card_password"),
        ("forgot my debit card pin", "ask_card_password"),
        ("公交卡坏了", "report_damaged_card"),
        ("户口本丢了怎么补", "report_lost_card"),
        ("lost my residence permit", "report_lost_card"),
        ("my passport expires next month, how to renew", "ask_expiry"),
        ("身份證下個月到期了，可以異地換嗎", "ask_moving"),
    ],
)
def test_another_card_lost_broken_or_locked_is_about_that_card(text, intent):
    assert OTHER_CARDS.about_another_card(text, intent)


@pytest.mark.parametrize(
    "text, intent",
    [
        ("社保卡丢了", "report_lost_card"),
        ("I lost my social security card and my ID card", "report_lost_card"),
        ("身份证和社保卡都丢了", "report_lost_card"),
        ("钱包丢了，里面有身份证和卡", "report_lost_card"),
        ("my card is lost", "report_lost_card"),
        # the card's initial password is often the ID number's last digits
        ("初始密码是身份证后六位吗", "ask_card_password"),
        # the card's bank function has a password of its own
        ("服务密码和银行卡密码有啥不一样", "ask_card_password"),
        ("社保卡的金融功能算借记卡吗，密码忘了咋办", "ask_card_password"),
        # another card named in another topic is no sign of another subject
        ("需要提供银行卡吗", "ask_materials"),
        ("need my ID card?", "ask_materials"),
        ("社保卡和身份证都快到期了", "ask_expiry"),
    ],
)
def test_the_card_itself_or_another_topic_stays_the_card_s(text, intent):
    assert not OTHER_CARDS.about_another_card(text, intent)


@pytest.mark.parametrize(
    "text, intent",
    [
        ("微信密码忘了登不上", "ask_card_password"),
        ("forgot my alipay login password", "ask_card_password"),
        ("12306客服电话多少", "ask_hotline"),
        ("china mobile customer service number", "ask_hotline"),
        ("我的快递到哪了", "ask_progress"),
        ("电子驾照在哪里申领", "ask_electronic_card"),
    ],
)
def test_another_account_number_or_thing_on_its_way_is_about_that(text, intent):
    assert OTHER_CARDS.about_another_card(text, intent)


@pytest.mark.parametrize(
    "text, intent",
    [
        ("支付宝里电子社保卡的密码忘了", "ask_card_password"),
        (
            "Which number should I call, my bank's customer service or a government one?",
            "ask_hotline",
        ),
        ("社保卡银行客服电话", "ask_hotline"),
        ("支付宝上怎么亮码", "ask_electronic_card"),
        ("我的申请到哪一步了", "ask_progress"),
    ],
)
def test_the_card_s_own_account_hotline_or_code_stays_the_card_s(text, intent):
    assert not OTHER_CARDS.about_another_card(text, intent)
