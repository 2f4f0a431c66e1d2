import PgQuery
import Testing

@Suite("JSONValue")
struct JSONValueTests {
    let value: JSONValue = ["IndexStmt": ["idxname": "i", "params": [1, 2.5, false]]]

    @Test("subscripts return nil for missing keys, bad indices and wrong types")
    func subscripts() {
        #expect(value["IndexStmt"]?["idxname"] == "i")
        #expect(value["IndexStmt"]?["params"]?[1] == 2.5)
        #expect(value["IndexStmt"]?["missing"] == nil)
        #expect(value["IndexStmt"]?["params"]?[3] == nil)
        #expect(value["IndexStmt"]?["params"]?[-1] == nil)
        #expect(value[0] == nil)
        #expect(value["IndexStmt"]?["idxname"]?["x"] == nil)
    }

    @Test("typed accessors match only their own case")
    func accessors() {
        let params = value["IndexStmt"]?["params"]
        #expect(params?[0]?.intValue == 1)
        #expect(params?[1]?.intValue == nil)
        #expect(params?[1]?.doubleValue == 2.5)
        #expect(params?[2]?.boolValue == false)
        #expect(params?[2]?.intValue == nil)
        #expect(params?[0]?.boolValue == nil)
        #expect(value["IndexStmt"]?["idxname"]?.stringValue == "i")
        #expect(JSONValue.null.isNull)
        #expect(!JSONValue.bool(false).isNull)
    }

    @Test("nodeName is the key of single-key objects only")
    func nodeName() {
        #expect(value.nodeName == "IndexStmt")
        #expect(value["IndexStmt"]?.nodeName == nil)
        #expect(JSONValue.string("IndexStmt").nodeName == nil)
    }
}
