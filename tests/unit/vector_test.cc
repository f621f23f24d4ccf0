// Vector buffers are allocated on the first write (common/vector.h): an unwritten vector reads as
// zero bytes without NULLs, a write gives it its own buffer, and a vector that referenced
// another becomes writable again without touching the other's values.
#include <gtest/gtest.h>

#include "common/vector.h"

namespace lyt {
namespace {

TEST(VectorTest, UnwrittenVectorReadsZeroWithoutNulls) {
  const Vector v(TypeId::BigInt, 4);
  for (idx_t r = 0; r < 4; ++r) {
    EXPECT_FALSE(v.IsNull(r));
    EXPECT_EQ(v.data<int64_t>()[r], 0);
  }
}

TEST(VectorTest, EachWriteAccessorGivesTheVectorItsOwnBuffer) {
  Vector a(TypeId::BigInt, 2), b(TypeId::BigInt, 2), c(TypeId::BigInt, 2), d(TypeId::BigInt, 2);
  a.data<int64_t>()[1] = 7;
  b.nulls()[1] = 1;
  c.SetNull(0);
  d.SetValue(0, Value::BigInt(-3));
  EXPECT_EQ(a.data<int64_t>()[1], 7);
  EXPECT_TRUE(b.IsNull(1));
  EXPECT_TRUE(c.IsNull(0));
  EXPECT_EQ(d.GetValue(0), Value::BigInt(-3));
  // The writes went to separate buffers, not to the shared zero bytes of unwritten vectors.
  const Vector fresh(TypeId::BigInt, 2);
  EXPECT_EQ(fresh.data<int64_t>()[1], 0);
  EXPECT_FALSE(fresh.IsNull(0));
  EXPECT_FALSE(fresh.IsNull(1));
}

TEST(VectorTest, WritingAfterMakeOwnedLeavesTheReferencedVectorAlone) {
  Vector source(TypeId::Integer, 2);
  source.SetValue(0, Value::Integer(1));
  source.SetValue(1, Value::Integer(2));
  Vector view(TypeId::Integer, 2);
  view.Reference(source);
  EXPECT_TRUE(view.is_reference());
  EXPECT_EQ(view.GetValue(1), Value::Integer(2));
  view.MakeOwned();
  view.SetValue(1, Value::Integer(9));
  EXPECT_FALSE(view.is_reference());
  EXPECT_EQ(view.GetValue(1), Value::Integer(9));
  EXPECT_EQ(source.GetValue(1), Value::Integer(2));
}

TEST(VectorTest, ViewOfAnUnwrittenVectorAllocatesItsOwnBufferOnWrite) {
  Vector source(TypeId::Integer, 2);
  Vector view(TypeId::Integer, 2);
  view.Reference(source);
  view.SetValue(0, Value::Integer(5));
  EXPECT_FALSE(view.is_reference());
  EXPECT_EQ(view.GetValue(0), Value::Integer(5));
  EXPECT_EQ(static_cast<const Vector&>(source).data<int32_t>()[0], 0);
}

TEST(VectorTest, ResetChunkIsWritableAndKeepsTheReferencedRows) {
  DataChunk source({TypeId::BigInt, TypeId::Varchar}, 1);
  source.column(0).SetValue(0, Value::BigInt(42));
  source.column(1).SetValue(0, Value::Varchar("kept"));
  source.SetSize(1);
  DataChunk chunk({TypeId::BigInt, TypeId::Varchar}, 1);
  chunk.Reference(source);
  chunk.Reset();
  chunk.Append(source, nullptr, 1);
  chunk.column(0).SetValue(0, Value::BigInt(43));
  EXPECT_EQ(chunk.GetValue(0, 0), Value::BigInt(43));
  EXPECT_EQ(chunk.GetValue(1, 0), Value::Varchar("kept"));
  EXPECT_EQ(source.GetValue(0, 0), Value::BigInt(42));
}

}  // namespace
}  // namespace lyt
