"""Complaint & Returns Desk (顾客投诉与退换货服务台)."""

__version__ = "0.1.0"
APP_NAME = "ComplaintDesk"
APP_TITLE = "顾客投诉与退换货服务台"
