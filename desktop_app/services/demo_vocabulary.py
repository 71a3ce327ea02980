"""The words of the demo's complaints: what goes wrong with which product, what customers say,
and how categories, demands, causes, solutions and special refunds go together."""

from __future__ import annotations

import random
from typing import Any

from desktop_app.domain import cases as rules
from desktop_app.domain.refunds import SpecialReason

Category = rules.Category
Demand = rules.Demand


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
TITLES = ("女士", "先生", "阿姨", "大爷", "小姐")
LEADERS = ("李班长", "王班长", "赵主管", "钱班长", "孙主管")  # when a department names none

# --- what goes wrong with which product --------------------------------------------------------

DEFECTS_BY_WORD: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("纯牛奶", "优酸乳"), ("喝起来发酸,还没到保质期", "整箱里有两盒胀包", "倒出来有结块")),
    (("酸奶", "真果粒"), ("打开有异味,像是变质了", "包装胀起来了,还在保质期内")),
    (("火腿肠",), ("切开里面发黑", "包装漏气,肠体发黏")),
    (("五花肉", "里脊", "鸡胸"), ("回家打开有异味,不新鲜", "肉发黏,颜色发暗")),
    (("鲫鱼",), ("买回去不到一小时就发臭", "鱼鳃发白,不新鲜")),
    (("鸡蛋",), ("打开好几个是坏蛋", "里面有三个是裂的")),
    (("苹果", "香蕉", "葡萄", "西红柿", "黄瓜"), ("表面好好的,切开里面烂了", "下面一层都压烂了")),
    (("土豆",), ("土豆已经发芽变绿", "里面是空心发黑的")),
    (("面包",), ("还没到保质期就长了霉点", "面包里有一根头发")),
    (("水饺", "汤圆", "粽子"), ("煮出来馅料发酸", "包装里的冰碴很多,像化冻过又冻上")),
    (("牛肉面", "酸菜面"), ("面饼有哈喇味", "调料包是破的")),
    (("红茶", "清茶", "乌龙茶", "天然水", "橙汁"), ("瓶里有白色漂浮物", "瓶盖没拧紧,漏了一半")),
    (("调和油",), ("油有哈喇味", "桶底有很多沉淀")),
    (("大米", "麦芯粉"), ("米里有小虫子", "面粉结块发霉")),
    (("生抽", "蚝油", "黄豆酱", "陈醋"), ("瓶口漏液,袋子全湿了", "打开表面有一层白霉")),
    (("坚果", "碧根果", "夏威夷果", "芒果干"), ("坚果有哈喇味", "包装漏气,全受潮软了")),
    (("洗发水", "沐浴露"), ("用了以后头皮发痒过敏", "按压泵头坏了,按不出来")),
    (("洗衣粉", "洗衣液"), ("瓶身有裂缝,漏了一地", "洗完衣服有白色残留")),
    (("牙膏",), ("牙膏管是破的,漏了", "里面的膏体发干结块")),
    (("纸尿裤", "卫生巾"), ("用了以后皮肤起红疹", "包装里少了好几片")),
    (("抽纸", "卷纸"), ("纸一扯就碎,掉屑严重", "一提里有一包是空的")),
    (("电饭煲", "压力锅"), ("用了两天就不加热了", "内胆涂层起皮脱落", "煮饭时跳闸,有焦味")),
    (("电水壶",), ("烧水时底座冒烟", "用了一周就烧不开水了")),
    (("电风扇",), ("摇头功能失灵,有异响", "一开机就跳闸")),
    (("微波炉", "电磁炉"), ("加热几秒就停,显示故障代码", "面板按键失灵")),
    (("空调",), ("安装后不制冷", "外机噪音很大,还漏水")),
    (("炒锅",), ("用了三次不粘涂层就掉了", "锅柄松动")),
    (("保温杯",), ("不保温,两小时水就凉了", "杯盖漏水")),
    (("菜刀",), ("刀柄松动", "用了几天就生锈")),
    (("中性笔", "复印纸"), ("一盒笔有一半写不出来", "纸张受潮,一打印就卡纸")),
    (("跑步鞋",), ("穿了两天鞋底开胶", "鞋面开线")),
    (("长裤", "T恤", "羊毛衫", "袜"),
     ("洗了一次就开线", "洗后掉色严重,染了别的衣服", "穿一次就起球")),
]
DEFECTS_BY_DEPARTMENT: dict[str, tuple[str, ...]] = {
    "生鲜部": ("不新鲜,有异味",), "食品部": ("包装破损,里面受潮",), "冷冻部": ("解冻后有异味",),
    "日化部": ("包装漏液",), "家电部": ("用了几天就坏了",), "百货部": ("质量太差,一用就坏",),
    "服装部": ("洗了一次就开线",),
}
ANY_DEFECT = ("质量有问题,与描述不符",)
FOOD_DEPARTMENTS = frozenset({"生鲜部", "食品部", "冷冻部"})
WEIGHED_DEPARTMENTS = frozenset({"生鲜部"})
FOOD_SAFETY_ACCOUNTS = (
    "买的{name}已经过了保质期,货架上还在卖", "吃了{name}以后肚子疼,怀疑变质了",
    "{name}里吃出了异物",
)
SERVICE_ACCOUNTS: dict[Category, tuple[str, ...]] = {
    Category.SERVICE_ATTITUDE: (
        "收银员态度生硬,不耐烦", "导购员不理睬顾客询问", "问路时员工说不知道就走开了",
    ),
    Category.FACILITIES: (
        "停车场地面湿滑摔倒", "购物车轮子坏了夹伤手", "卫生间没有纸也没有人管",
    ),
    Category.OTHER: ("存包柜打不开,东西取不出来", "会员积分没有到账", "电子发票开不出来"),
}
STAFF_ACCOUNTS = (
    "收银员{staff}态度生硬,不耐烦", "{staff}结账时把东西扔在台面上", "问{staff}价格,她说自己看",
)


def defect_for(product: dict[str, Any], rng: random.Random) -> str:
    """A complaint that fits the product: by words in its name, else by its department."""
    name = str(product["name"])
    for words, defects in DEFECTS_BY_WORD:
        if any(word in name for word in words):
            return rng.choice(defects)
    return rng.choice(DEFECTS_BY_DEPARTMENT.get(str(product["department_name"]), ANY_DEFECT))


# --- how categories, demands, causes and refunds go together --------------------------------

CATEGORY_WEIGHTS = (30, 8, 14, 20, 8, 6, 14)
DEMANDS_BY_CATEGORY: dict[Category, tuple[tuple[Demand, int], ...]] = {
    Category.PRODUCT_QUALITY: ((Demand.REFUND, 55), (Demand.EXCHANGE, 30), (Demand.REPAIR, 8),
                               (Demand.APOLOGY, 7)),
    Category.FOOD_SAFETY: ((Demand.REFUND, 60), (Demand.COMPENSATION, 25), (Demand.APOLOGY, 15)),
    Category.PRICE_BILLING: ((Demand.COMPENSATION, 70), (Demand.REFUND, 20), (Demand.APOLOGY, 10)),
    Category.WEIGHTS_MEASURES: ((Demand.COMPENSATION, 80), (Demand.APOLOGY, 20)),
    Category.SERVICE_ATTITUDE: ((Demand.APOLOGY, 85), (Demand.OTHER, 15)),
    Category.FACILITIES: ((Demand.APOLOGY, 50), (Demand.REPAIR, 30), (Demand.OTHER, 20)),
    Category.OTHER: ((Demand.OTHER, 60), (Demand.APOLOGY, 40)),
}
CAUSES: dict[Category, tuple[str, ...]] = {
    Category.PRODUCT_QUALITY: ("供应商该批次质量问题", "储存温度不当", "运输途中挤压损坏"),
    Category.FOOD_SAFETY: ("临期商品未及时下架", "冷柜温度异常"),
    Category.PRICE_BILLING: ("促销结束后价签未及时更换", "系统变价未同步到价签"),
    Category.WEIGHTS_MEASURES: ("电子秤未按时校准", "称重时未去皮"),
    Category.SERVICE_ATTITUDE: ("员工服务意识不足", "高峰期人手不足,员工情绪急躁"),
    Category.FACILITIES: ("地面清洁后未放警示牌", "设备老化未及时维修"),
    Category.OTHER: ("系统故障", "操作流程不清楚"),
}
IMPROVEMENTS: dict[Category, str] = {
    Category.PRODUCT_QUALITY: "加强到货验收,同批次商品下架检查",
    Category.FOOD_SAFETY: "每日早晚检查临期商品",
    Category.PRICE_BILLING: "变价当日由部门核对价签",
    Category.WEIGHTS_MEASURES: "每日开店前校准电子秤",
    Category.SERVICE_ATTITUDE: "组织服务礼仪培训",
    Category.FACILITIES: "清洁时放置警示牌,设备每周检查",
    Category.OTHER: "完善操作流程并培训",
}
SOLUTIONS: dict[Demand, str] = {
    Demand.REFUND: "为顾客办理退货退款", Demand.EXCHANGE: "为顾客更换同款新品",
    Demand.COMPENSATION: "按规定给予补偿", Demand.APOLOGY: "当面向顾客致歉",
    Demand.REPAIR: "联系厂家上门维修", Demand.OTHER: "向顾客说明情况并协助处理",
}
SPECIAL_DETAILS: dict[SpecialReason, str] = {
    SpecialReason.NO_RECEIPT: "小票遗失,会员消费记录可查,经前台经理核实",
    SpecialReason.PAST_PERIOD: "超过退换货期限三天,确属质量问题,特批",
    SpecialReason.OPENED_OR_USED: "已拆封使用,使用中发现质量问题,特批退货",
    SpecialReason.EXCEPTION: "顾客为老会员,店长特批",
}
