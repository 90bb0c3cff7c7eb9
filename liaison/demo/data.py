"""What the demo district is made of: its organisations, logins and the word lists people are drawn from.

Only data lives here; `manage.py seed_demo` (liaison/management/commands/seed_demo.py) does the drawing.
Weighted lists are tuples of (value, weight). Everything is read with one seeded random.Random, so the
same district comes out every time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

SEED = 2026
# Ages, birth dates and join dates are counted from this fixed day, so the data never drifts.
REFERENCE_DATE = datetime.date(2026, 6, 30)
# 巴南区 in GB/T 2260; every generated resident is registered here.
REGION_ID_PREFIX = "500113"
PASSWORD = "demo12345"
# scripts/demo.sh serves on DEMO_ADDR (runserver's own syntax); seed_demo prints the matching address.
DEFAULT_ADDR = "127.0.0.1:8000"

Weighted = tuple[tuple[str, int], ...]


def login_url(addr: str | None = None) -> str:
    """The address a browser opens for `runserver <addr>`: "8080" → http://127.0.0.1:8080/, "0.0.0.0:80"
    (every interface) → http://127.0.0.1:80/ on this machine, "[::]:8000" → http://[::1]:8000/."""
    addr = (addr or DEFAULT_ADDR).strip()
    host, sep, port = addr.rpartition(":")
    if not sep:
        host, port = "", addr
    if host.startswith("[") and host.endswith("]"):
        inner = host[1:-1]
        host = "[::1]" if inner in ("", "::") else host
    elif host in ("", "0", "0.0.0.0", "localhost"):
        host = "127.0.0.1" if host != "localhost" else host
    return f"http://{host}:{port}/"


# --- organisations ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class VillageDef:
    """A village (村, 村民小组 一组…) or community (社区, 网格 第1网格…) with its branches."""

    code: str
    name: str
    is_community: bool
    groups: int
    households: int
    branches: tuple[str, ...]
    streets: tuple[str, ...] = ()


@dataclass(frozen=True)
class TownshipDef:
    code: str
    name: str
    committee: str
    address: str
    villages: tuple[VillageDef, ...]


@dataclass(frozen=True)
class UnitDef:
    code: str
    name: str
    branch: str
    members: int


DISTRICT_CODE = "BN"
DISTRICT_ADDRESS = "巴南区鱼洞街道新华路"

TOWNSHIPS: tuple[TownshipDef, ...] = (
    TownshipDef(
        code="BN-JS",
        name="界石镇",
        committee="界石镇党委",
        address="界石镇界石场镇新街",
        villages=(
            VillageDef("BN-JS-GH", "桂花村", False, 6, 54, ("第一党支部", "第二党支部")),
            VillageDef("BN-JS-SG", "石岗村", False, 5, 48, ("党支部",)),
            VillageDef("BN-JS-NZ", "楠竹村", False, 6, 50, ("第一党支部", "第二党支部")),
        ),
    ),
    TownshipDef(
        code="BN-NQ",
        name="南泉街道",
        committee="南泉街道党工委",
        address="南泉街道迎宾路",
        villages=(
            VillageDef("BN-NQ-HX", "虎啸村", False, 6, 46, ("党支部",)),
            VillageDef(
                "BN-NQ-NQSQ",
                "南泉社区",
                True,
                4,
                52,
                ("第一党支部", "第二党支部"),
                streets=("虹桥路", "南泉路", "建设路"),
            ),
            VillageDef(
                "BN-NQ-HXSQ",
                "红星社区",
                True,
                3,
                50,
                ("党支部",),
                streets=("红星路", "花溪路", "红星新村"),
            ),
        ),
    ),
)

UNIT = UnitDef(code="BN-NYNC", name="区农业农村委机关党委", branch="区农业农村委机关第一党支部", members=8)

# Party members per village/community: residents of its households, and a few registered there who
# live elsewhere (returned graduates, members living in town).
LINKED_MEMBERS_PER_VILLAGE = 7
UNLINKED_MEMBERS_PER_VILLAGE = 2


# --- logins ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginDef:
    username: str
    role: str  # a liaison.models.Role value; "" for the superuser
    organisation_code: str
    full_name: str
    title: str
    phone: str
    superuser: bool = False


LOGINS: tuple[LoginDef, ...] = (
    LoginDef("jingban", "clerk", "BN-JS-GH", "刘晓燕", "桂花村便民服务专干", "13983621457"),
    LoginDef("shuji", "secretary", "BN-JS", "陈建国", "界石镇党委书记", "13908317726"),
    LoginDef("zhenjie", "township_admin", "BN-NQ", "王丽萍", "南泉街道党建办主任", "15823196034"),
    LoginDef("zuzhibu", "org_dept", DISTRICT_CODE, "张敏", "区委组织部组织科科长", "18996350218"),
    LoginDef("admin", "", DISTRICT_CODE, "系统管理员", "系统管理员", "", superuser=True),
)
SUPERUSER_LABEL = "超级管理员"


# --- names -----------------------------------------------------------------------------------------

SURNAMES: Weighted = (
    ("王", 7),
    ("李", 7),
    ("张", 6),
    ("刘", 6),
    ("陈", 7),
    ("杨", 5),
    ("黄", 3),
    ("赵", 2),
    ("周", 4),
    ("吴", 2),
    ("徐", 2),
    ("孙", 1),
    ("马", 1),
    ("胡", 2),
    ("朱", 1),
    ("郭", 1),
    ("何", 3),
    ("罗", 3),
    ("高", 1),
    ("林", 1),
    ("谭", 3),
    ("冉", 1),
    ("向", 2),
    ("彭", 2),
    ("蒋", 2),
    ("邓", 2),
    ("曾", 2),
    ("唐", 3),
    ("冯", 1),
    ("余", 2),
    ("袁", 2),
    ("熊", 1),
    ("曹", 1),
    ("夏", 1),
    ("汪", 1),
    ("秦", 1),
    ("廖", 2),
    ("龚", 1),
    ("付", 1),
    ("韩", 1),
    ("文", 1),
    ("谢", 2),
    ("邱", 1),
    ("雷", 1),
    ("牟", 1),
    ("肖", 2),
    ("程", 1),
    ("田", 1),
    ("任", 1),
    ("姚", 1),
)

# Given names by generation: born up to 1965, 1966–1990, and from 1991.
OLD_BORN_BY = 1965
MIDDLE_BORN_BY = 1990
GIVEN_NAMES: dict[tuple[str, str], tuple[str, ...]] = {
    ("old", "M"): (
        "德明",
        "国华",
        "福贵",
        "荣昌",
        "志成",
        "忠信",
        "洪文",
        "建国",
        "永福",
        "光明",
        "树林",
        "清泉",
        "全福",
        "兴国",
        "富贵",
        "林生",
        "才发",
        "海清",
        "顺德",
        "世华",
        "正荣",
        "仁贵",
        "长青",
        "学文",
        "绍华",
        "开明",
        "大富",
        "兴旺",
        "德贵",
        "明高",
        "国云",
        "泽林",
    ),
    ("old", "F"): (
        "秀英",
        "桂兰",
        "淑芬",
        "玉珍",
        "素芬",
        "琼英",
        "凤英",
        "翠华",
        "碧珍",
        "秀珍",
        "桂芳",
        "玉兰",
        "春梅",
        "菊芳",
        "素琼",
        "群英",
        "碧蓉",
        "秀兰",
        "德珍",
        "明芬",
        "淑华",
        "桂英",
        "玉芬",
        "秀琼",
        "光碧",
        "泽芬",
        "碧华",
        "仕芬",
    ),
    ("middle", "M"): (
        "伟",
        "强",
        "军",
        "勇",
        "斌",
        "涛",
        "刚",
        "平",
        "杰",
        "峰",
        "波",
        "鹏",
        "辉",
        "超",
        "磊",
        "兵",
        "建军",
        "志强",
        "海军",
        "小军",
        "晓东",
        "建华",
        "德勇",
        "永红",
        "红兵",
        "宏伟",
        "国强",
        "世军",
        "成林",
        "大勇",
        "小平",
        "建平",
        "江",
        "川",
        "明辉",
        "代彬",
    ),
    ("middle", "F"): (
        "丽",
        "艳",
        "敏",
        "静",
        "燕",
        "红",
        "霞",
        "娟",
        "丹",
        "萍",
        "玲",
        "莉",
        "琴",
        "梅",
        "倩",
        "婷",
        "晓燕",
        "小红",
        "丽萍",
        "春燕",
        "红梅",
        "海燕",
        "明霞",
        "丽娟",
        "德琼",
        "玉梅",
        "小琴",
        "晓丽",
        "秀梅",
        "建英",
        "永琼",
        "登梅",
    ),
    ("young", "M"): (
        "浩然",
        "宇航",
        "子轩",
        "俊杰",
        "博文",
        "睿",
        "梓豪",
        "鑫",
        "晨阳",
        "皓轩",
        "一鸣",
        "泽宇",
        "锦程",
        "奕辰",
        "家豪",
        "宇",
        "浩",
        "杰",
        "明轩",
        "天佑",
        "思远",
        "子豪",
        "嘉乐",
        "文博",
        "俊熙",
    ),
    ("young", "F"): (
        "欣怡",
        "雨萱",
        "梓涵",
        "诗琪",
        "佳怡",
        "悦",
        "思雨",
        "雯",
        "可馨",
        "语嫣",
        "婉婷",
        "若曦",
        "瑶",
        "雨桐",
        "紫涵",
        "梦琪",
        "一诺",
        "芷若",
        "佳琪",
        "心怡",
        "欣然",
        "子涵",
        "诗涵",
        "静怡",
    ),
}

# Characters outside GB 2312 but inside GBK: the names that break careless fonts and encodings.
RARE_NAME_SHARE = 0.03
RARE_GIVEN_NAMES: dict[str, tuple[str, ...]] = {
    "M": ("喆", "堃", "犇", "燊", "昇", "子喆", "宇堃", "浩燊", "昇阳", "俊喆", "文堃"),
    "F": ("珺", "瑄", "祎", "雨瑄", "思祎", "珺瑶", "诗瑄", "雨喆", "祎然"),
}


# --- households ------------------------------------------------------------------------------------

# Household shapes and how often each occurs.
HOUSEHOLD_SHAPES: Weighted = (
    ("single_elder", 9),  # 独居老人
    ("elder_couple", 15),  # 老两口
    ("single_adult", 6),  # 单身，有时带一位老人
    ("young_family", 24),  # 小两口带孩子，有时与父母同住
    ("middle_family", 30),  # 中年夫妇与子女
    ("three_generations", 16),  # 老两口、儿子儿媳（或女儿与上门女婿）、孙辈
)

CHINESE_NUMERALS = "一二三四五六七八九十"

VILLAGE_OCCUPATIONS: Weighted = (
    ("务农", 40),
    ("个体经营", 8),
    ("建筑工人", 6),
    ("养殖户", 4),
    ("货车司机", 4),
    ("在家照顾老人小孩", 5),
    ("教师", 2),
    ("保洁员", 2),
    ("厨师", 2),
    ("摩托车修理", 1),
    ("村干部", 1),
)
COMMUNITY_OCCUPATIONS: Weighted = (
    ("企业职工", 20),
    ("个体经营", 10),
    ("灵活就业", 5),
    ("保安", 4),
    ("网约车司机", 3),
    ("快递员", 3),
    ("超市收银员", 3),
    ("教师", 3),
    ("家政服务员", 3),
    ("护士", 2),
    ("社区工作者", 2),
    ("待业", 2),
)
# Drawn again for a woman: the demo should not be full of female lorry drivers and steel fixers.
MALE_OCCUPATIONS = frozenset(
    {"建筑工人", "货车司机", "摩托车修理", "保安", "网约车司机", "建筑工地钢筋工", "装修工"}
)
VILLAGE_ELDER_OCCUPATIONS: Weighted = (("务农", 5), ("在家养老", 4), ("退休", 1))
COMMUNITY_ELDER_OCCUPATIONS: Weighted = (("退休", 8), ("在家养老", 2))

# Yearly income (元) by occupation; anything not listed earns nothing of its own.
OCCUPATION_INCOME: dict[str, tuple[int, int]] = {
    "务农": (6000, 15000),
    "个体经营": (30000, 80000),
    "建筑工人": (30000, 60000),
    "养殖户": (20000, 70000),
    "货车司机": (50000, 90000),
    "在家照顾老人小孩": (0, 3000),
    "教师": (60000, 90000),
    "保洁员": (20000, 30000),
    "厨师": (36000, 60000),
    "摩托车修理": (25000, 45000),
    "村干部": (40000, 50000),
    "企业职工": (40000, 70000),
    "灵活就业": (20000, 40000),
    "保安": (30000, 40000),
    "网约车司机": (40000, 70000),
    "快递员": (45000, 70000),
    "超市收银员": (30000, 40000),
    "家政服务员": (30000, 50000),
    "护士": (50000, 80000),
    "社区工作者": (45000, 60000),
    "退休": (24000, 48000),
    "在家养老": (1500, 3600),
}
VILLAGE_RETIREE_INCOME = (20000, 36000)
HOUSEHOLD_INCOME_RANGE = (8000, 180000)
VILLAGE_HOUSING_AREA = (80, 260)
COMMUNITY_HOUSING_AREA = (60, 140)

# Working-age residents who work away (外出人员) and their second 八清楚.
AWAY_SHARE_VILLAGE = 0.40
AWAY_SHARE_COMMUNITY = 0.12
AWAY_JOBS: tuple[str, ...] = (
    "电子厂普工",
    "建筑工地钢筋工",
    "快递分拣员",
    "餐馆厨师",
    "货车司机",
    "家具厂油漆工",
    "服装厂缝纫工",
    "装修工",
    "保安",
    "外卖骑手",
    "汽车厂装配工",
    "小面馆经营",
)
AWAY_INCOME = (30000, 90000)
AWAY_LOCATIONS: Weighted = (
    ("广东省东莞市", 5),
    ("广东省深圳市", 4),
    ("广东省广州市", 3),
    ("浙江省宁波市", 2),
    ("浙江省温州市", 1),
    ("福建省厦门市", 2),
    ("江苏省苏州市", 2),
    ("上海市闵行区", 2),
    ("重庆市渝北区", 3),
    ("重庆市九龙坡区", 2),
    ("四川省成都市", 2),
    ("北京市大兴区", 1),
    ("新疆维吾尔自治区乌鲁木齐市", 1),
)
AWAY_RETURNS: Weighted = (
    ("春节返乡", 6),
    ("农忙时返乡", 2),
    ("每季度返乡一次", 1),
    ("常年在外，很少返乡", 1),
)
AWAY_REQUESTS: Weighted = (
    ("", 5),
    ("希望村里帮忙照看家中老人", 2),
    ("希望了解返乡创业扶持政策", 2),
    ("希望子女在本地就近入学", 1),
    ("希望办理异地就医备案", 1),
    ("希望及时通知村里重要事项", 1),
)
AWAY_PARTY_LIFE_MEMBER: tuple[str, ...] = (
    "在流入地党组织参加组织生活",
    "通过网络参加支部主题党日",
    "每年返乡参加组织生活",
)
AWAY_PARTY_LIFE_NON_MEMBER = "群众，未参加党派"
AWAY_LAW_RECORDS: Weighted = (("遵纪守法，无违法记录", 19), ("遵纪守法", 1))

MOBILE_PREFIXES: tuple[str, ...] = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "157",
    "158",
    "159",
    "177",
    "180",
    "181",
    "182",
    "183",
    "186",
    "187",
    "188",
    "189",
    "199",
)
LANDLINE_PREFIX = "023-66"

VILLAGE_SKILLS: tuple[str, ...] = (
    "柑橘种植",
    "生猪养殖",
    "电焊",
    "厨师",
    "泥瓦工",
    "木工",
    "蔬菜种植",
    "花椒种植",
    "家禽养殖",
    "驾驶",
    "水电安装",
    "裁缝",
    "理发",
    "农机操作",
    "水产养殖",
    "茶叶种植",
    "竹编",
)
COMMUNITY_SKILLS: tuple[str, ...] = (
    "厨师",
    "电工",
    "驾驶",
    "家政服务",
    "美容美发",
    "电脑维修",
    "会计",
    "育婴",
    "水电安装",
    "烘焙",
)
SKILLS_SHARE = 0.55
CONCERNS_SHARE = 0.33
REQUEST_WITH_CONCERN_SHARE = 0.75

# (text, who it fits): "" any household, "child" one with a child aged 6–18, "elder" one with someone
# aged 65 or more, "alone" one person living alone. {group} is the household's 村民小组/网格, {township}
# its 镇街.
Concerns = tuple[tuple[str, str], ...]
VILLAGE_PROBLEMS: Concerns = (
    ("{group}机耕道雨天泥泞，出行困难", ""),
    ("房屋年久失修，墙体开裂", ""),
    ("灌溉水源不足，柑橘园缺水", ""),
    ("饮用水管老化，经常停水", ""),
    ("院坝路灯损坏，夜间出行不便", ""),
    ("生猪价格下跌，养殖亏损", ""),
    ("{group}山坪塘垮塌，需要整治", ""),
    ("雨季后屋后山坡有滑坡隐患", ""),
    ("家中老人患慢性病，医药费负担重", "elder"),
    ("家中劳动力不足，土地撂荒", "elder"),
    ("孩子上学交通不便", "child"),
    ("网络信号差，孩子上网课困难", "child"),
    ("独居，身体不好，无人照料", "alone"),
)
VILLAGE_REQUESTS: Concerns = (
    ("希望申请危房改造补助", ""),
    ("希望硬化{group}入户便道", ""),
    ("希望组织柑橘种植技术培训", ""),
    ("希望协调解决灌溉用水", ""),
    ("希望增加到{township}场镇的公交班次", ""),
    ("希望申请小额信贷发展养殖", ""),
    ("希望帮助联系就业岗位", ""),
    ("希望在院坝安装路灯", ""),
    ("希望办理慢性病门诊卡", "elder"),
    ("希望纳入低保", "elder"),
    ("希望开通校车", "child"),
    ("希望村里定期上门看看", "alone"),
)
COMMUNITY_PROBLEMS: Concerns = (
    ("小区路灯损坏，晚上出行不便", ""),
    ("楼道堆放杂物，存在消防隐患", ""),
    ("老旧小区下水道经常堵塞", ""),
    ("小区停车难，车辆乱停乱放", ""),
    ("楼上漏水，协调未果", ""),
    ("广场舞噪音扰民", ""),
    ("{group}垃圾清运不及时", ""),
    ("老人腿脚不便，爬楼困难", "elder"),
    ("孩子上学交通不便", "child"),
    ("独居，身体不好，无人照料", "alone"),
)
COMMUNITY_REQUESTS: Concerns = (
    ("希望帮助联系就业岗位", ""),
    ("希望增加公交班次", ""),
    ("希望整治小区环境卫生", ""),
    ("老旧小区希望加装电梯", "elder"),
    ("希望增设社区老年食堂", "elder"),
    ("希望办理居家养老服务", "elder"),
    ("希望开办四点半课堂", "child"),
    ("希望社区定期上门看看", "alone"),
)

# Tags (seeded by migration 0002) and how likely a household that fits is to carry them.
TAG_CHANCE: dict[str, float] = {
    "五保户": 0.3,
    "低保户": 0.25,
    "贫困户": 0.3,
    "空巢老人": 0.1,
    "留守儿童": 0.25,
    "老党员": 0.7,
    "致富能人": 0.2,
    "残疾人": 0.01,
    "示范户": 0.01,
}
RICH_INCOME = 150000
ENTERPRISING_OCCUPATIONS = frozenset({"个体经营", "货车司机", "养殖户"})

# How a member of the household is named in 家庭党员情况: relation → (man, woman).
KIN_WORDS: dict[str, tuple[str, str]] = {
    "head": ("户主", "户主"),
    "spouse": ("配偶", "配偶"),
    "child": ("儿子", "女儿"),
    "child_in_law": ("女婿", "儿媳"),
    "grandchild": ("孙子", "孙女"),
    "parent": ("父亲", "母亲"),
    "grandparent": ("祖父", "祖母"),
    "sibling": ("兄弟", "姐妹"),
    "other": ("家庭成员", "家庭成员"),
}

# --- party members ---------------------------------------------------------------------------------

SECRETARY_TITLE = "党支部书记"
COMMITTEE_TITLE = "党支部委员"
MEMBER_TITLE = "党员"
COMMITTEE_PER_BRANCH = 2
JOIN_AGE = (19, 40)
