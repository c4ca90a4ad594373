package analysis_test

import (
	"fmt"

	"github.com/supportbot/supportbot/internal/analysis"
)

func ExampleFold() {
	for _, s := range []string{"セキュリティ・キャンプ", "せきゅりてぃきゃんぷ", "ｾｷｭﾘﾃｨｰ ｷｬﾝﾌﾟ"} {
		fmt.Println(analysis.Fold(analysis.Normalize(s)))
	}
	// Output:
	// セキュリティキャンプ
	// セキュリティキャンプ
	// セキュリティキャンプ
}
