"""Products and the up-sell / cross-sell relations between them."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from salesplanner.storage.schema.base import Base, one_of

RELATION_KINDS = ("upsell", "crosssell")


class Product(Base):
    """A product or add-on the centre sells."""

    __tablename__ = "product"
    __table_args__ = (
        CheckConstraint("unit_price_minor >= 0", name="price_nonnegative"),
        CheckConstraint("active IN (0, 1)", name="active_bool"),
        Index(None, "category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(80))
    #: List price in minor units of the plan's currency; NULL when unknown (an
    #: export's blank price), which is not a price of 0.
    unit_price_minor: Mapped[int | None] = mapped_column(Integer, default=0,
                                                         server_default=text("0"))
    #: Gross margin as a fraction of revenue, for the product range picture.
    margin_rate: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Integer, default=1, server_default=text("1"))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"))


class ProductRelation(Base):
    """``to_product`` is an up-sell or a cross-sell from ``from_product``."""

    __tablename__ = "product_relation"
    __table_args__ = (
        one_of("kind", RELATION_KINDS),
        CheckConstraint("from_product_id <> to_product_id", name="not_self"),
        Index(None, "to_product_id"),
    )

    from_product_id: Mapped[int] = mapped_column(
        ForeignKey("product.id", ondelete="CASCADE"), primary_key=True)
    to_product_id: Mapped[int] = mapped_column(
        ForeignKey("product.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
